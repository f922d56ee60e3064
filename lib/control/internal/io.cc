#include "control/internal/io.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/client.h"

namespace warren::control::internal {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    reset(o.fd_);
    o.fd_ = -1;
  }
  return *this;
}

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Deadline::Deadline(int timeout_ms) : timeout_ms_(timeout_ms) {
  if (timeout_ms >= 0)
    at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
}

int Deadline::RemainingMs() const {
  if (!at_) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *at_ - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : int(left.count());
}

Status Deadline::Expired() const {
  return Status::Timeout("no reply within " + std::to_string(timeout_ms_) + " ms");
}

Status NodeDown(const std::string& where, const std::string& why) {
  return Status::Unavailable(why + " (" + where + ")", std::string(kSubjectNodeDown));
}

Status Exchange(int fd, std::string_view out, const Deadline& deadline, const std::string& where,
                const std::function<Result<bool>(std::string_view)>& on_bytes) {
  size_t sent = 0;
  char buf[65536];
  for (;;) {
    pollfd p{fd, short(sent < out.size() ? POLLOUT : POLLIN), 0};
    int n = ::poll(&p, 1, deadline.RemainingMs());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(std::string("poll: ") + std::strerror(errno));
    }
    if (n == 0) return deadline.Expired();
    if (sent < out.size()) {
      ssize_t w = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return NodeDown(where, std::string("send: ") + std::strerror(errno));
      }
      sent += size_t(w);
      continue;
    }
    ssize_t r = ::recv(fd, buf, sizeof(buf), 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return NodeDown(where, std::string("recv: ") + std::strerror(errno));
    }
    if (r == 0) return NodeDown(where, "the node closed the connection before replying");
    WARREN_ASSIGN_OR_RETURN(bool done, on_bytes(std::string_view(buf, size_t(r))));
    if (done) return Status::OK();
  }
}

}  // namespace warren::control::internal
