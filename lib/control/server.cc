#include "control/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <asio.hpp>
#include <filesystem>

#include "base/fiber.h"
#include "base/log.h"
#include "control/admin.h"
#include "control/protocol.h"
#include "http/message.h"

namespace warren::control {
namespace {

using asio::local::stream_protocol;
constexpr size_t kMaxRequest = size_t(256) << 20;  // a definitions import can be large

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(stream_protocol::socket socket, NodeApi& node)
      : socket_(std::move(socket)), node_(node), parser_(kMaxRequest) {}

  void Start() {
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (::getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
        (cred.uid != ::geteuid() && cred.uid != 0)) {
      refused_uid_ = int(cred.uid);
    }
    Read();
  }

 private:
  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](std::error_code ec, size_t n) {
      if (ec) return;  // the client went away
      auto state = self->parser_.Feed(std::string_view(self->buf_.data(), n));
      if (!state.ok()) {
        self->Reply(400, ErrorBody(state.status()));
        return;
      }
      if (*state == http::ParseState::kNeedMore) {
        self->Read();
        return;
      }
      self->Handle();
    });
  }

  void Handle() {
    if (refused_uid_ >= 0) {
      // Answered only after the request is read, so the caller sees the reason rather
      // than a broken pipe.
      log::Warning("control socket: refused a caller with uid " + std::to_string(refused_uid_));
      Reply(403, ErrorBody(Status::Unavailable(
                     "node " + node_.env().node.full() + " refused this caller: its control "
                     "socket accepts only uid " + std::to_string(::geteuid()) + " and root",
                     "socket_owner")));
      return;
    }
    auto req = parser_.TakeRequest();
    if (!req.ok()) {
      Reply(400, ErrorBody(req.status()));
      return;
    }
    json body = nullptr;
    if (!req->body.empty()) {
      body = json::parse(req->body, nullptr, false);
      if (body.is_discarded()) {
        Reply(400, ErrorBody(Status::BadInput("the request body is not valid JSON")));
        return;
      }
    }
    // On a fiber of its own: an operation waiting for its cluster commit lets the
    // node's loop serve clients (and other operators) meanwhile.
    fiber::Start([self = shared_from_this(), req = std::move(*req), body = std::move(body)] {
      Dispatched d = Dispatch(self->node_, req.method, req.raw_path, req.query, body);
      self->Reply(d.http_status, d.body);
    });
  }

  void Reply(int status, const json& body) {
    http::Response resp;
    resp.status = status;
    resp.headers["content-type"] = "application/json";
    resp.headers["connection"] = "close";
    resp.body = body.is_null() ? "" : body.dump(-1, ' ', false, json::error_handler_t::replace);
    out_ = http::SerializeResponse(resp);
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self](std::error_code, size_t) {
      std::error_code ignored;
      self->socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
    });
  }

  stream_protocol::socket socket_;
  NodeApi& node_;
  http::Parser parser_;
  std::array<char, 65536> buf_;
  std::string out_;
  int refused_uid_ = -1;
};

class ControlServerImpl : public ControlServer {
 public:
  ControlServerImpl(asio::io_context& io, std::string path, NodeApi& node)
      : acceptor_(io), path_(std::move(path)), node_(node) {}

  Status Bind() {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::path(path_).parent_path();
    fs::create_directories(dir, ec);
    if (ec) return Status::Unavailable("cannot create run directory " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    if (path_.size() >= sizeof(sockaddr_un{}.sun_path))
      return Status::BadInput("control socket path too long (" + path_ +
                              "); set WARREN_RUN_DIR to a shorter directory");
    if (fs::exists(fs::symlink_status(path_, ec))) {
      // Someone there? Then this node name is taken.
      stream_protocol::socket probe(acceptor_.get_executor());
      probe.connect(stream_protocol::endpoint(path_), ec);
      if (!ec) {
        return Status::AlreadyExists("a node is already running with this name (its control "
                                     "socket " + path_ + " answers)", "node");
      }
      fs::remove(path_, ec);
    }
    acceptor_.open(stream_protocol(), ec);
    if (!ec) acceptor_.bind(stream_protocol::endpoint(path_), ec);
    if (!ec) ::chmod(path_.c_str(), 0600);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::Unavailable("cannot listen on " + path_ + ": " + ec.message());
    Accept();
    return Status::OK();
  }

  void Stop() override {
    if (!acceptor_.is_open()) return;
    std::error_code ec;
    acceptor_.close(ec);
    std::filesystem::remove(path_, ec);
  }

  ~ControlServerImpl() override { Stop(); }

 private:
  void Accept() {
    acceptor_.async_accept([this](std::error_code ec, stream_protocol::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
        log::Warning("control socket accept: " + ec.message());
      } else {
        std::make_shared<Session>(std::move(socket), node_)->Start();
      }
      if (acceptor_.is_open()) Accept();
    });
  }

  stream_protocol::acceptor acceptor_;
  std::string path_;
  NodeApi& node_;
};

}  // namespace

Result<std::unique_ptr<ControlServer>> ControlServer::Start(asio::io_context& io,
                                                            const std::string& socket_path,
                                                            NodeApi& node) {
  auto server = std::make_unique<ControlServerImpl>(io, socket_path, node);
  WARREN_TRY(server->Bind());
  return std::unique_ptr<ControlServer>(std::move(server));
}

}  // namespace warren::control
