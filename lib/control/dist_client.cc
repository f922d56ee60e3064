#include "control/dist_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "base/node_env.h"
#include "cluster/wire.h"
#include "control/protocol.h"

namespace warren::control {
namespace {

using json = nlohmann::json;
using internal::Deadline;
using internal::Fd;
using internal::NodeDown;

Status CookieProblem(const std::string& message) {
  return Status::Unavailable(message, std::string(kSubjectCookie));
}

// The cookie as the node reads it, as a cookie problem (exit 69) when unusable.
Result<std::string> ReadCookie(const std::string& path) {
  auto cookie = ReadCookieFile(path);
  if (!cookie.ok()) return CookieProblem(cookie.status().message());
  return cookie;
}

// A connected non-blocking TCP socket to the first of `host`'s addresses that accepts.
Result<Fd> ConnectTcp(const std::string& host, int port, const Deadline& deadline,
                      const std::string& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
    return NodeDown(where, "cannot resolve host " + host + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  int error = ECONNREFUSED;
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
    if (fd.get() < 0) {
      error = errno;
      continue;
    }
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        error = errno;
        continue;
      }
      pollfd p{fd.get(), POLLOUT, 0};
      int n;
      while ((n = ::poll(&p, 1, deadline.RemainingMs())) < 0 && errno == EINTR) {
      }
      if (n == 0) return deadline.Expired();
      socklen_t len = sizeof(error);
      if (n < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
      if (error != 0) continue;
    }
    // Frames are small and each waits for an answer: send them at once.
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
  }
  return NodeDown(where, std::string("connect: ") + std::strerror(error));
}

// Feeds `bytes` to `decoder`; the next whole frame, or nothing yet.
Result<std::optional<cluster::Frame>> NextFrame(cluster::FrameDecoder& decoder,
                                                std::string_view bytes) {
  decoder.Feed(bytes);
  return decoder.Next();
}

bool IsString(const json& j, const char* key) { return j.contains(key) && j[key].is_string(); }

// The outcome a reply frame carries: the node's transport error, or its {"status","body"}
// decoded as the control socket's HTTP replies are.
Result<json> DecodeReply(const json& reply) {
  if (!reply.contains("ok") || !reply["ok"].is_boolean())
    return Status::Internal("the node sent a malformed reply");
  if (!reply["ok"].get<bool>()) {
    auto kind = ErrorKindFromToken(IsString(reply, "kind") ? reply["kind"].get<std::string>() : "");
    return Status(kind.value_or(ErrorKind::kInternal), IsString(reply, "reason")
                                                           ? reply["reason"].get<std::string>()
                                                           : "the node failed");
  }
  if (!reply.contains("body") || !reply["body"].is_object())
    return Status::Internal("the node sent a malformed reply");
  const json& answer = reply["body"];
  if (!answer.contains("status") || !answer["status"].is_number_integer())
    return Status::Internal("the node sent a reply without a status");
  return ResultFromReply(answer["status"].get<int>(),
                         answer.contains("body") ? answer["body"] : json(nullptr));
}

}  // namespace

DistClient::DistClient(RemoteNode node)
    : node_(std::move(node)),
      where_("inter-node port " + node_.host + ":" + std::to_string(node_.port)) {}

DistClient::~DistClient() = default;

Status DistClient::Connect(const Deadline& deadline) {
  WARREN_ASSIGN_OR_RETURN(std::string cookie, ReadCookie(node_.cookie_file));
  WARREN_ASSIGN_OR_RETURN(fd_, ConnectTcp(node_.host, node_.port, deadline, where_));
  decoder_ = std::make_unique<cluster::FrameDecoder>(cluster::kMaxHandshakeFrame);
  cluster::Hello hello;
  hello.node = node_.self;
  hello.purpose = "rpc";
  cluster::ClientHandshake handshake(std::move(cookie), std::move(hello));
  std::string out = handshake.Begin();
  for (bool done = false; !done;) {
    std::string next;
    WARREN_TRY(internal::Exchange(
        fd_.get(), out, deadline, where_, [&](std::string_view bytes) -> Result<bool> {
          auto frame = NextFrame(*decoder_, bytes);
          if (!frame.ok())
            return NodeDown(where_, "no warren node answers here: " + frame.status().message());
          if (!*frame) return false;
          auto step = handshake.OnFrame(**frame);
          if (step.ok()) {
            next = std::move(step->send);
            done = step->done;
            return true;
          }
          // The node's refusal names the cookie; the cookie itself is never printed.
          if (step.status().kind() == ErrorKind::kAccessRefused)
            return CookieProblem(step.status().message());
          return NodeDown(where_, "no warren node answers here: " + step.status().message());
        }));
    out = std::move(next);
  }
  decoder_->set_max(cluster::kMaxFrame);
  return Status::OK();
}

Result<json> DistClient::Request(const Deadline& deadline, const json& req) {
  const uint64_t id = req["id"].get<uint64_t>();
  json reply;
  const std::string frame = cluster::EncodeFrame(
      cluster::FrameType::kRequest, req.dump(-1, ' ', false, json::error_handler_t::replace));
  WARREN_TRY(internal::Exchange(
      fd_.get(), frame, deadline, where_, [&](std::string_view bytes) -> Result<bool> {
        decoder_->Feed(bytes);
        for (;;) {
          WARREN_ASSIGN_OR_RETURN(std::optional<cluster::Frame> f, decoder_->Next());
          if (!f) return false;
          if (f->type != cluster::FrameType::kReply)
            return Status::Internal("the node sent an unexpected frame");
          reply = json::parse(f->payload, nullptr, /*allow_exceptions=*/false);
          if (reply.is_discarded() || !reply.is_object())
            return Status::Internal("the node sent a reply that is not JSON");
          if (reply.contains("id") && reply["id"].is_number_unsigned() &&
              reply["id"].get<uint64_t>() == id)
            return true;
        }
      }));
  return reply;
}

Result<json> DistClient::Call(int timeout_ms, std::string_view method, std::string_view path,
                              const json& body, const std::map<std::string, std::string>& query) {
  const Deadline deadline(timeout_ms);
  json req{{"op", "control"},
           {"id", next_id_++},
           {"method", std::string(method)},
           {"path", std::string(path)}};
  if (!query.empty()) req["query"] = query;
  if (!body.is_null()) req["body"] = body;

  Result<json> reply = [&]() -> Result<json> {
    if (fd_.get() < 0) WARREN_TRY(Connect(deadline));
    return Request(deadline, req);
  }();
  // A connection that failed or timed out mid-call is in no known state: drop it.
  if (!reply.ok()) {
    fd_.reset();
    return reply.status();
  }
  return DecodeReply(*reply);
}

}  // namespace warren::control
