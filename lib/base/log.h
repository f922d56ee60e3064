// The node log: one process-wide sink (a file, or stderr in the foreground), lines in
// RabbitMQ's shape `2026-11-23 21:52:00.123456+00:00 [info] <node> message`.
// Thread-safe; not for the message hot path.
#pragma once

#include <string>
#include <string_view>

namespace warren::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// Sends lines to `path` (appending; created 0640) and, when `also_stderr`, to stderr.
// Returns false and leaves the sink unchanged when the file cannot be opened.
bool Open(const std::string& path, bool also_stderr);
void SetLevel(Level level);
// "debug" | "info" | "warning" | "error"; false for anything else.
bool SetLevel(std::string_view name);
void SetTag(std::string tag);  // the `<...>` part, e.g. the node name
void Write(Level level, std::string_view message);

inline void Debug(std::string_view m) { Write(Level::kDebug, m); }
inline void Info(std::string_view m) { Write(Level::kInfo, m); }
inline void Warning(std::string_view m) { Write(Level::kWarning, m); }
inline void Error(std::string_view m) { Write(Level::kError, m); }

}  // namespace warren::log
