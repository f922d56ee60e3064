#include "control/client.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/dist_client.h"
#include "control/internal/io.h"
#include "control/protocol.h"
#include "http/message.h"

namespace warren::control {

using internal::NodeDown;

Client::Client(std::string socket_path, int timeout_ms)
    : socket_path_(std::move(socket_path)), timeout_ms_(timeout_ms) {}

Client::Client(RemoteNode remote, int timeout_ms)
    : timeout_ms_(timeout_ms), dist_(std::make_unique<DistClient>(std::move(remote))) {}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<nlohmann::json> Client::Call(std::string_view method, std::string_view path,
                                    const nlohmann::json& body,
                                    const std::map<std::string, std::string>& query) {
  if (dist_) return dist_->Call(timeout_ms_, method, path, body, query);
  return CallSocket(method, path, body, query);
}

Result<nlohmann::json> Client::CallSocket(std::string_view method, std::string_view path,
                                          const nlohmann::json& body,
                                          const std::map<std::string, std::string>& query) {
  const internal::Deadline deadline(timeout_ms_);

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

  internal::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
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

  http::Parser parser(size_t(1) << 30);
  WARREN_TRY(internal::Exchange(fd.get(), http::SerializeRequest(req), deadline, socket_path_,
                                [&](std::string_view bytes) -> Result<bool> {
                                  WARREN_ASSIGN_OR_RETURN(http::ParseState state,
                                                          parser.Feed(bytes));
                                  return state == http::ParseState::kDone;
                                }));

  WARREN_ASSIGN_OR_RETURN(http::Response resp, parser.TakeResponse());
  nlohmann::json reply = nullptr;
  if (!resp.body.empty()) {
    reply = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
    if (reply.is_discarded()) return Status::Internal("the node sent a reply that is not JSON");
  }
  return ResultFromReply(resp.status, std::move(reply));
}

}  // namespace warren::control
