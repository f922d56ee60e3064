// Blocking request/reply I/O for the control client's two doors (client.cc, dist_client.cc):
// a descriptor owner, a call's deadline, and one send-then-receive exchange driven by
// poll(). Internal to control_client; not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::control::internal {

// Owns a file descriptor; closes it on destruction.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  int get() const { return fd_; }
  void reset(int fd = -1);

 private:
  int fd_;
};

// A call's time limit, fixed when the call starts.
class Deadline {
 public:
  // `timeout_ms` < 0: no limit.
  explicit Deadline(int timeout_ms);
  // Milliseconds left, for poll(): -1 without a limit, 0 once past it.
  int RemainingMs() const;
  // Timeout("no reply within N ms").
  Status Expired() const;

 private:
  int timeout_ms_;
  std::optional<std::chrono::steady_clock::time_point> at_;
};

// Unavailable(subject node_down): nothing answers at `where` (a socket path, host:port).
Status NodeDown(const std::string& where, const std::string& why);

// Sends `out` on the non-blocking `fd`, then feeds what arrives to `on_bytes` until it
// returns true. NodeDown(where) on a send or receive error or when the peer closes first;
// Timeout past `deadline`; `on_bytes`' own errors as they are.
Status Exchange(int fd, std::string_view out, const Deadline& deadline, const std::string& where,
                const std::function<Result<bool>(std::string_view)>& on_bytes);

}  // namespace warren::control::internal
