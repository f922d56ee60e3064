#include "base/log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <mutex>

namespace warren::log {
namespace {

struct Sink {
  std::mutex mu;
  int fd = -1;
  bool stderr_too = true;
  Level level = Level::kInfo;
  std::string tag = "0.0.0";
};

Sink& TheSink() {
  static Sink* s = new Sink();  // never destroyed: logging may happen during exit
  return *s;
}

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

bool Open(const std::string& path, bool also_stderr) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  Sink& s = TheSink();
  std::lock_guard lock(s.mu);
  if (s.fd >= 0) ::close(s.fd);
  s.fd = fd;
  s.stderr_too = also_stderr;
  return true;
}

void SetLevel(Level level) {
  Sink& s = TheSink();
  std::lock_guard lock(s.mu);
  s.level = level;
}

bool SetLevel(std::string_view name) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (name == LevelName(l)) {
      SetLevel(l);
      return true;
    }
  }
  return false;
}

void SetTag(std::string tag) {
  Sink& s = TheSink();
  std::lock_guard lock(s.mu);
  s.tag = std::move(tag);
}

void Write(Level level, std::string_view message) {
  Sink& s = TheSink();
  std::lock_guard lock(s.mu);
  if (level < s.level) return;
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm t;
  gmtime_r(&tv.tv_sec, &t);
  char stamp[64];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02d %02d:%02d:%02d.%06ld+00:00",
                t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                static_cast<long>(tv.tv_usec));
  std::string line;
  line.reserve(message.size() + 64);
  line.append(stamp).append(" [").append(LevelName(level)).append("] <").append(s.tag);
  line.append("> ").append(message).append("\n");
  if (s.fd >= 0) (void)!::write(s.fd, line.data(), line.size());
  if (s.stderr_too || s.fd < 0) (void)!::write(2, line.data(), line.size());
}

}  // namespace warren::log
