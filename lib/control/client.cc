#include "control/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "control/protocol.h"
#include "http/message.h"

namespace warren::control {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Milliseconds left before `deadline`, for poll(); -1 when there is no deadline.
int Remaining(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  return left.count() < 0 ? 0 : int(left.count());
}

Status NodeDown(const std::string& path, const std::string& why) {
  return Status::Unavailable(why + " (" + path + ")", std::string(kSubjectNodeDown));
}

}  // namespace

Result<nlohmann::json> Client::Call(std::string_view method, std::string_view path,
                                    const nlohmann::json& body,
                                    const std::map<std::string, std::string>& query) {
  std::optional<Clock::time_point> deadline;
  if (timeout_ms_ >= 0) deadline = Clock::now() + std::chrono::milliseconds(timeout_ms_);
  const auto timed_out = [&] {
    return Status::Timeout("no reply within " + std::to_string(timeout_ms_) + " ms");
  };

  struct stat st;
  if (::lstat(socket_path_.c_str(), &st) != 0) {
    if (errno == EACCES) {
      return Status::Unavailable("cannot reach the control socket " + socket_path_ +
                                     ": permission denied; run the command as the user that "
                                     "runs the node",
                                 std::string(kSubjectSocketOwner));
    }
    return NodeDown(socket_path_, "no control socket");
  }
  if (!S_ISSOCK(st.st_mode)) {
    return NodeDown(socket_path_, "not a socket");
  }
  if (st.st_uid != ::geteuid() && ::geteuid() != 0) {
    return Status::Unavailable("the control socket " + socket_path_ + " belongs to uid " +
                                   std::to_string(st.st_uid) + ", not to this user (uid " +
                                   std::to_string(::geteuid()) +
                                   "); run the command as the user that runs the node",
                               std::string(kSubjectSocketOwner));
  }

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(addr.sun_path))
    return Status::BadInput("control socket path too long: " + socket_path_);
  std::memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);

  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return Status::Internal(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
      errno != EINPROGRESS && errno != EAGAIN) {
    return NodeDown(socket_path_, std::string("connect: ") + std::strerror(errno));
  }

  http::Request req;
  req.method = std::string(method);
  req.raw_path = std::string(path);
  req.query = query;
  req.headers["host"] = "localhost";
  req.headers["connection"] = "close";
  if (!body.is_null()) {
    req.headers["content-type"] = "application/json";
    req.body = body.dump();
  }
  std::string out = http::SerializeRequest(req);

  size_t sent = 0;
  http::Parser parser(size_t(1) << 30);
  char buf[65536];
  bool done = false;
  while (!done) {
    pollfd p{fd.get(), short(sent < out.size() ? POLLOUT : POLLIN), 0};
    int n = ::poll(&p, 1, Remaining(deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(std::string("poll: ") + std::strerror(errno));
    }
    if (n == 0) return timed_out();
    if (sent < out.size()) {
      ssize_t w = ::send(fd.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return NodeDown(socket_path_, std::string("send: ") + std::strerror(errno));
      }
      sent += size_t(w);
      continue;
    }
    ssize_t r = ::recv(fd.get(), buf, sizeof(buf), 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return NodeDown(socket_path_, std::string("recv: ") + std::strerror(errno));
    }
    if (r == 0) return NodeDown(socket_path_, "the node closed the connection before replying");
    auto state = parser.Feed(std::string_view(buf, size_t(r)));
    if (!state.ok()) return state.status();
    done = *state == http::ParseState::kDone;
  }

  WARREN_ASSIGN_OR_RETURN(http::Response resp, parser.TakeResponse());
  nlohmann::json reply = nullptr;
  if (!resp.body.empty()) {
    reply = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
    if (reply.is_discarded()) return Status::Internal("the node sent a reply that is not JSON");
  }
  if (resp.status >= 200 && resp.status < 300) return reply;
  return StatusFromErrorBody(resp.status, reply);
}

}  // namespace warren::control
