#include "plugin/http_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <asio.hpp>

#include "base/fiber.h"
#include "base/log.h"
#include "net/tcp_listeners.h"

namespace warren::plugin {

struct Route {
  std::string owner;
  std::string method;
  std::string path;  // without the trailing '*' of a prefix route
  bool prefix = false;
  HttpHandler handler;
};

// The handlers running, by owner, and what waits for an owner's to end.
struct HttpServer::Running {
  std::map<std::string, int> count;
  std::map<std::string, std::vector<std::function<void()>>> when_idle;

  void Leave(const std::string& owner) {
    if (--count[owner] > 0) return;
    count.erase(owner);
    auto waiting = std::move(when_idle[owner]);
    when_idle.erase(owner);
    for (auto& then : waiting) then();
  }
};

struct HttpServer::Port {
  HttpListenerSpec spec;
  std::unique_ptr<net::TcpListeners> listener;
  std::vector<Route> routes;
  std::shared_ptr<Running> running;

  // Answers `req` on a fiber of its own and passes the response to `done`.
  void Answer(http::Request req, std::function<void(http::Response)> done) const {
    bool path_known = false;
    for (const Route& r : routes) {
      bool match = r.prefix ? req.path.starts_with(r.path) : req.path == r.path;
      if (!match) continue;
      path_known = true;
      if (r.method == req.method || (r.method == "GET" && req.method == "HEAD")) {
        // The route may go (its plugin disabled) while the handler waits: the fiber
        // runs its own copy, and the host keeps the plugin until it ends (WhenIdle).
        ++running->count[r.owner];
        fiber::Start([handler = r.handler, owner = r.owner, running = running,
                      req = std::move(req), done = std::move(done)]() mutable {
          http::Response resp = handler(req);
          handler = nullptr;
          if (req.method == "HEAD") resp.body.clear();
          running->Leave(owner);
          done(std::move(resp));
        });
        return;
      }
    }
    http::Response resp;
    resp.status = path_known ? 405 : 404;
    resp.headers["content-type"] = "text/plain";
    resp.body = path_known ? "Method Not Allowed\n" : "Not Found\n";
    done(std::move(resp));
  }
};

namespace {

using asio::ip::tcp;
constexpr size_t kMaxRequest = size_t(16) << 20;

// One client connection; requests are answered in turn until either side closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::weak_ptr<HttpServer::Port> port)
      : socket_(std::move(socket)), port_(std::move(port)), parser_(kMaxRequest) {}

  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](std::error_code ec, size_t n) {
      if (ec) return;
      auto state = self->parser_.Feed(std::string_view(self->buf_.data(), n));
      if (!state.ok()) return self->Fail(400, state.status().message());
      if (*state == http::ParseState::kNeedMore) return self->Read();
      auto req = self->parser_.TakeRequest();
      if (!req.ok()) return self->Fail(400, req.status().message());
      auto port = self->port_.lock();
      if (!port) return self->Fail(503, "this listener is closing");
      auto conn = req->headers.find("connection");
      const bool close = conn != req->headers.end() && conn->second == "close";
      port->Answer(std::move(*req),
                   [self, close](http::Response resp) { self->Write(std::move(resp), close); });
    });
  }

 private:
  void Fail(int status, const std::string& why) {
    http::Response resp;
    resp.status = status;
    resp.headers["content-type"] = "text/plain";
    resp.body = why + "\n";
    Write(std::move(resp), true);
  }

  void Write(http::Response resp, bool close) {
    if (close) resp.headers["connection"] = "close";
    out_ = http::SerializeResponse(resp);
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self, close](std::error_code ec, size_t) {
      if (ec || close) {
        std::error_code ignored;
        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
        return;
      }
      self->parser_ = http::Parser(kMaxRequest);
      self->Read();
    });
  }

  tcp::socket socket_;
  std::weak_ptr<HttpServer::Port> port_;
  http::Parser parser_;
  std::array<char, 16384> buf_;
  std::string out_;
};

}  // namespace

HttpServer::HttpServer(asio::io_context& io) : io_(io), running_(std::make_shared<Running>()) {}
HttpServer::~HttpServer() {
  for (auto& p : ports_) p->listener->Close();
}

Status HttpServer::AddRoute(const std::string& owner, const HttpListenerSpec& listener,
                            const std::string& method, const std::string& path,
                            HttpHandler handler) {
  auto it = std::find_if(ports_.begin(), ports_.end(), [&](const auto& p) {
    return p->spec.port == listener.port && p->spec.interface == listener.interface;
  });
  std::shared_ptr<Port> port;
  if (it != ports_.end()) {
    port = *it;
  } else {
    port = std::make_shared<Port>();
    port->spec = listener;
    port->running = running_;
    std::weak_ptr<Port> weak = port;
    asio::io_context& io = io_;
    auto l = net::TcpListeners::Open(
        io_, {net::Listener{listener.interface == "::" ? "" : listener.interface, listener.port}},
        [weak, &io](int fd) {
          sockaddr_storage addr{};
          socklen_t len = sizeof(addr);
          ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
          std::error_code ec;
          tcp::socket s(io);
          s.assign(addr.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
          if (ec) return;
          std::make_shared<Session>(std::move(s), weak)->Read();
        },
        "HTTP (" + listener.protocol + ")");
    if (!l.ok()) return l.status();
    port->listener = std::move(l).value();
    ports_.push_back(port);
  }
  Route r{owner, method, path, false, std::move(handler)};
  if (r.path.ends_with("*")) {
    r.path.pop_back();
    r.prefix = true;
  }
  for (const Route& existing : port->routes)
    if (existing.method == r.method && existing.path == r.path && existing.prefix == r.prefix)
      return Status::AlreadyExists("route " + method + " " + path + " on port " +
                                   std::to_string(listener.port) + " is taken by plugin " +
                                   existing.owner);
  port->routes.push_back(std::move(r));
  return Status::OK();
}

void HttpServer::RemoveOwner(const std::string& owner) {
  for (auto& p : ports_)
    std::erase_if(p->routes, [&](const Route& r) { return r.owner == owner; });
  std::erase_if(ports_, [](const std::shared_ptr<Port>& p) {
    if (!p->routes.empty()) return false;
    p->listener->Close();
    return true;
  });
}

void HttpServer::WhenIdle(const std::string& owner, std::function<void()> then) {
  if (!running_->count.count(owner)) return then();
  running_->when_idle[owner].push_back(std::move(then));
}

std::vector<HttpListenerInfo> HttpServer::listeners() const {
  std::vector<HttpListenerInfo> out;
  for (const auto& p : ports_)
    for (const auto& b : p->listener->bound())
      out.push_back({p->spec.protocol, b.interface, b.port, p->spec.purpose});
  return out;
}

}  // namespace warren::plugin
