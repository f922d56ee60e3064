#include "cluster/dist.h"

#include <netdb.h>
#include <unistd.h>
#include <uv.h>

#include <cstring>
#include <map>
#include <set>

#include "base/log.h"

namespace warren::cluster {
namespace {

// One TCP connection, either side. Owned by a shared_ptr held by the Dist (in `conns_`)
// while open; uv callbacks reach it through the handle's data pointer.
class DistImpl;

struct Conn : std::enable_shared_from_this<Conn> {
  enum class Side { kClient, kServer };
  enum class Phase { kConnecting, kHandshake, kOpen, kClosed };

  Conn(Side s, uint32_t max) : side(s), decoder(max) {}

  Side side;
  Phase phase = Phase::kConnecting;
  uv_tcp_t tcp{};
  uv_connect_t connect_req{};
  FrameDecoder decoder;
  std::unique_ptr<ClientHandshake> client;
  std::unique_ptr<ServerHandshake> server;
  std::string address;  // client side: where it dials
  std::string purpose;  // client side: "rpc" | "raft" | "broker"
  // client side: calls waiting for their reply, by id
  std::map<uint64_t, Reply> pending;
  std::vector<std::string> queued;  // frames to send once the handshake is done
  std::function<void(int fd, std::string error)> raft_done;  // for a socket handed over
  std::shared_ptr<Conn> self;  // keeps the connection alive until uv closes it
  DistImpl* owner = nullptr;  // null once shut: late callbacks do nothing
};

// As the control socket writes JSON: bytes that are not UTF-8 become U+FFFD rather
// than failing the whole reply.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

struct WriteReq {
  uv_write_t req;
  std::string data;
  std::function<void()> after;
};

class DistImpl : public Dist {
 public:
  DistImpl(uv_loop_t* loop, DistOptions options) : loop_(loop), options_(std::move(options)) {}
  ~DistImpl() override { Close(); }

  Status Listen() {
    uv_tcp_init(loop_, &listener_);
    listener_.data = this;
    sockaddr_storage addr{};
    int rc = options_.bind_ip.find(':') != std::string::npos
                 ? uv_ip6_addr(options_.bind_ip.c_str(), options_.port,
                               reinterpret_cast<sockaddr_in6*>(&addr))
                 : uv_ip4_addr(options_.bind_ip.c_str(), options_.port,
                               reinterpret_cast<sockaddr_in*>(&addr));
    if (rc == 0) rc = uv_tcp_bind(&listener_, reinterpret_cast<sockaddr*>(&addr), 0);
    if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 128, &OnAccept);
    if (rc != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
      listening_ = false;
      return Status::Unavailable("cannot listen for inter-node connections on " +
                                 options_.bind_ip + " port " + std::to_string(options_.port) +
                                 ": " + uv_strerror(rc));
    }
    listening_ = true;
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &len);
    port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return Status::OK();
  }

  int port() const override { return port_; }

  void Dial(const std::string& address, Hello h,
            std::function<void(int, std::string)> done) override {
    h.node = options_.self;
    auto c = Open(address, std::move(h));
    if (!c.ok()) return done(-1, c.status().message());
    (*c)->raft_done = std::move(done);
  }

  void Call(const std::string& address, json request, Reply done,
            std::chrono::milliseconds timeout) override {
    if (closed_) return done(Status::Unavailable("the inter-node transport is closed"));
    std::shared_ptr<Conn> c;
    if (auto it = rpc_.find(address); it != rpc_.end()) {
      c = it->second;
    } else {
      auto opened = Open(address, Hello{options_.self, "rpc", 0, ""});
      if (!opened.ok()) return done(opened.status());
      c = *opened;
      rpc_[address] = c;
    }
    const uint64_t id = ++next_id_;
    request["id"] = id;
    c->pending[id] = std::move(done);
    StartTimer(c, id, timeout);
    std::string frame = EncodeFrame(FrameType::kRequest, Dump(request));
    if (c->phase == Conn::Phase::kOpen) Write(*c, std::move(frame));
    else c->queued.push_back(std::move(frame));
  }

  void Cut(std::set<std::string> nodes, std::set<std::string> addresses) override {
    cut_nodes_ = std::move(nodes);
    cut_addresses_ = std::move(addresses);
    auto all = conns_;
    for (auto& c : all) {
      const bool cut = c->side == Conn::Side::kClient
                           ? cut_addresses_.count(c->address) > 0
                           : c->server && cut_nodes_.count(c->server->hello().node) > 0;
      if (cut) Shut(c, Status::Unavailable("the network is cut (fault injection)"));
    }
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    if (listening_) uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    listening_ = false;
    auto all = conns_;
    for (auto& c : all) Shut(c, Status::Unavailable("the inter-node transport is closed"));
    rpc_.clear();
  }

 private:
  // --- connections -------------------------------------------------------------

  Result<std::shared_ptr<Conn>> Open(const std::string& address, Hello hello) {
    if (cut_addresses_.count(address))
      return Status::Unavailable("the network to " + address + " is cut (fault injection)");
    WARREN_ASSIGN_OR_RETURN(auto hp, SplitAddress(address));
    sockaddr_storage addr{};
    if (!Resolve(hp.first, hp.second, addr))
      return Status::Unavailable("cannot resolve host '" + hp.first + "' of " + address);
    auto c = std::make_shared<Conn>(Conn::Side::kClient, kMaxHandshakeFrame);
    c->address = address;
    c->purpose = hello.purpose;
    c->client = std::make_unique<ClientHandshake>(options_.cookie, std::move(hello));
    Adopt(c);
    uv_tcp_init(loop_, &c->tcp);
    uv_tcp_nodelay(&c->tcp, 1);
    c->tcp.data = c.get();
    c->connect_req.data = c.get();
    int rc = uv_tcp_connect(&c->connect_req, &c->tcp, reinterpret_cast<sockaddr*>(&addr),
                            &OnConnected);
    if (rc != 0) {
      Shut(c, Status::Unavailable("cannot connect to " + address + ": " + uv_strerror(rc)));
      return Status::Unavailable("cannot connect to " + address + ": " + uv_strerror(rc));
    }
    return c;
  }

  // Loopback and literal addresses resolve at once; names go through getaddrinfo,
  // which blocks briefly (the resolver is local: /etc/hosts first).
  static bool Resolve(const std::string& host, int port, sockaddr_storage& out) {
    if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&out)) == 0) return true;
    if (uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&out)) == 0) return true;
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return false;
    std::memcpy(&out, res->ai_addr, res->ai_addrlen);
    if (out.ss_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(&out)->sin6_port = htons(port);
    else reinterpret_cast<sockaddr_in*>(&out)->sin_port = htons(port);
    ::freeaddrinfo(res);
    return true;
  }

  void Adopt(const std::shared_ptr<Conn>& c) {
    c->self = c;
    c->owner = this;
    conns_.insert(c);
  }

  static void OnConnected(uv_connect_t* req, int status) {
    auto* c = static_cast<Conn*>(req->data);
    DistImpl* self = c->owner;
    if (!self) return;
    if (status != 0) {
      return self->Shut(c->shared_from_this(),
                        Status::Unavailable("cannot connect to " + c->address + ": " +
                                            uv_strerror(status)));
    }
    c->phase = Conn::Phase::kHandshake;
    self->Write(*c, c->client->Begin());
    uv_read_start(reinterpret_cast<uv_stream_t*>(&c->tcp), &Alloc, &OnRead);
  }

  static void OnAccept(uv_stream_t* listener, int status) {
    auto* self = static_cast<DistImpl*>(listener->data);
    if (status != 0) return;
    auto c = std::make_shared<Conn>(Conn::Side::kServer, kMaxHandshakeFrame);
    c->phase = Conn::Phase::kHandshake;
    c->server = std::make_unique<ServerHandshake>(self->options_.cookie, self->options_.self);
    uv_tcp_init(self->loop_, &c->tcp);
    c->tcp.data = c.get();
    self->Adopt(c);
    if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&c->tcp)) != 0)
      return self->Shut(c, Status::Unavailable("accept failed"));
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start(reinterpret_cast<uv_stream_t*>(&c->tcp), &Alloc, &OnRead);
  }

  static void Alloc(uv_handle_t*, size_t, uv_buf_t* buf) {
    static thread_local char block[64 * 1024];
    *buf = uv_buf_init(block, sizeof block);
  }

  static void OnRead(uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
    auto* c = static_cast<Conn*>(stream->data);
    DistImpl* self = c->owner;
    if (!self) return;
    auto keep = c->shared_from_this();
    if (n < 0) {
      return self->Shut(keep, Status::Unavailable(
                                  "connection to " +
                                  (c->address.empty() ? std::string("a peer") : c->address) +
                                  " closed: " + uv_strerror(int(n))));
    }
    c->decoder.Feed(std::string_view(buf->base, size_t(n)));
    while (c->phase != Conn::Phase::kClosed) {
      auto next = c->decoder.Next();
      if (!next.ok()) return self->Shut(keep, next.status());
      if (!*next) break;
      Status s = self->OnFrame(keep, std::move(**next));
      if (!s.ok()) return self->Shut(keep, s);
      if (c->phase == Conn::Phase::kClosed) break;
    }
  }

  Status OnFrame(const std::shared_ptr<Conn>& c, Frame f) {
    if (c->phase == Conn::Phase::kHandshake) return OnHandshakeFrame(c, f);
    if (c->side == Conn::Side::kServer) {
      if (f.type != FrameType::kRequest) return Status::BadInput("expected a request frame");
      return OnRequest(c, f.payload);
    }
    if (f.type != FrameType::kReply) return Status::BadInput("expected a reply frame");
    json j = json::parse(f.payload, nullptr, false);
    if (j.is_discarded() || !j.contains("id")) return Status::BadInput("malformed reply frame");
    auto it = c->pending.find(j["id"].get<uint64_t>());
    if (it == c->pending.end()) return Status::OK();  // timed out already
    Reply r = std::move(it->second);
    c->pending.erase(it);
    if (j.value("ok", false)) {
      r(j.contains("body") ? j["body"] : json());
    } else {
      auto kind = ErrorKindFromToken(j.value("kind", "internal"));
      r(Status(kind.value_or(ErrorKind::kInternal), j.value("reason", "the peer failed")));
    }
    return Status::OK();
  }

  Status OnHandshakeFrame(const std::shared_ptr<Conn>& c, const Frame& f) {
    if (c->side == Conn::Side::kClient) {
      WARREN_ASSIGN_OR_RETURN(Step step, c->client->OnFrame(f));
      if (!step.send.empty()) Write(*c, std::move(step.send));
      if (!step.done) return Status::OK();
      if (HandedOver(c->purpose)) return HandOver(c, c->raft_done);
      c->phase = Conn::Phase::kOpen;
      c->decoder.set_max(kMaxFrame);
      for (auto& q : c->queued) Write(*c, std::move(q));
      c->queued.clear();
      return Status::OK();
    }
    auto step = c->server->OnFrame(f);
    if (step.ok() && cut_nodes_.count(c->server->hello().node))
      return Status::Unavailable("the network to " + c->server->hello().node + " is cut");
    if (!step.ok()) {
      log::Warning(step.status().message());
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->tcp));
      if (c->server->refusal().empty()) return step.status();
      Write(*c, c->server->refusal(), [c] {
        if (c->owner) c->owner->Shut(c, Status::OK());
      });
      return Status::OK();
    }
    if (step->done && HandedOver(c->server->hello().purpose)) {
      // The welcome must be on the wire before the socket changes hands.
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->tcp));
      Hello h = c->server->hello();
      Write(*c, std::move(step->send), [c, h] {
        DistImpl* self = c->owner;
        if (!self) return;
        Status s = self->HandOver(c, [self, h](int fd, std::string) {
          if (fd < 0) return;
          if (self->options_.on_socket) self->options_.on_socket(h, fd);
          else ::close(fd);
        });
        if (!s.ok()) self->Shut(c, s);
      });
      return Status::OK();
    }
    Write(*c, std::move(step->send));
    if (!step->done) return Status::OK();
    c->phase = Conn::Phase::kOpen;
    c->decoder.set_max(kMaxFrame);
    return Status::OK();
  }

  // Connections whose socket leaves this transport once authenticated.
  static bool HandedOver(const std::string& purpose) {
    return purpose == "raft" || purpose == "broker";
  }

  // The socket leaves this transport: a duplicate goes to `to`, the handle closes.
  // Nothing more was read: the peer sends Raft bytes only after the handshake ends.
  Status HandOver(const std::shared_ptr<Conn>& c, std::function<void(int, std::string)> to) {
    if (c->phase == Conn::Phase::kClosed) return Status::OK();
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->tcp));
    if (c->decoder.buffered() != 0) return Status::BadInput("bytes after the handshake");
    uv_os_fd_t fd = -1;
    uv_fileno(reinterpret_cast<uv_handle_t*>(&c->tcp), &fd);
    int dup = ::dup(fd);
    c->raft_done = nullptr;
    Shut(c, Status::OK());
    if (dup < 0) to(-1, "cannot duplicate the socket");
    else to(dup, "");
    return Status::OK();
  }

  Status OnRequest(const std::shared_ptr<Conn>& c, const std::string& payload) {
    json req = json::parse(payload, nullptr, false);
    if (req.is_discarded() || !req.is_object() || !req.contains("id"))
      return Status::BadInput("malformed request frame");
    json id = req["id"];
    std::weak_ptr<Conn> weak = c;
    Reply reply = [this, weak, id](Result<json> r) {
      auto conn = weak.lock();
      if (!conn || conn->phase != Conn::Phase::kOpen) return;
      json out{{"id", id}};
      if (r.ok()) {
        out["ok"] = true;
        out["body"] = std::move(*r);
      } else {
        out["ok"] = false;
        out["kind"] = std::string(ErrorKindToken(r.status().kind()));
        out["reason"] = r.status().message();
      }
      Write(*conn, EncodeFrame(FrameType::kReply, Dump(out)));
    };
    if (!options_.on_request) {
      reply(Status::Unavailable("this node serves no inter-node requests"));
      return Status::OK();
    }
    options_.on_request(c->server->hello().node, req, std::move(reply));
    return Status::OK();
  }

  // Queues `data` on the connection; `after` runs once it is written (or failed).
  void Write(Conn& c, std::string data, std::function<void()> after = nullptr) {
    auto* w = new WriteReq{{}, std::move(data), std::move(after)};
    uv_buf_t b = uv_buf_init(w->data.data(), unsigned(w->data.size()));
    w->req.data = w;
    int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&c.tcp), &b, 1, [](uv_write_t* r, int) {
      auto* req = static_cast<WriteReq*>(r->data);
      if (req->after) req->after();
      delete req;
    });
    if (rc != 0) {
      if (w->after) w->after();
      delete w;
    }
  }

  void StartTimer(const std::shared_ptr<Conn>& c, uint64_t id, std::chrono::milliseconds t) {
    auto* timer = new uv_timer_t;
    uv_timer_init(loop_, timer);
    struct Ctx {
      std::weak_ptr<Conn> conn;
      uint64_t id;
      std::string address;
    };
    timer->data = new Ctx{c, id, c->address};
    uv_timer_start(
        timer,
        [](uv_timer_t* tm) {
          auto* ctx = static_cast<Ctx*>(tm->data);
          if (auto conn = ctx->conn.lock()) {
            auto it = conn->pending.find(ctx->id);
            if (it != conn->pending.end()) {
              Reply r = std::move(it->second);
              conn->pending.erase(it);
              r(Status::Timeout("no reply from " + ctx->address + " in time"));
            }
          }
          delete ctx;
          uv_close(reinterpret_cast<uv_handle_t*>(tm),
                   [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
        },
        uint64_t(t.count()), 0);
    // A call answered in time leaves its timer to fire harmlessly; calls are few.
  }

  // Ends a connection: pending calls fail with `why` (if not OK), the handle closes.
  void Shut(std::shared_ptr<Conn> c, const Status& why) {
    if (c->phase == Conn::Phase::kClosed) return;
    c->phase = Conn::Phase::kClosed;
    if (auto it = rpc_.find(c->address); it != rpc_.end() && it->second == c) rpc_.erase(it);
    auto pending = std::move(c->pending);
    c->pending.clear();
    Status s = why.ok() ? Status::Unavailable("connection closed") : why;
    for (auto& [id, r] : pending) r(s);
    if (c->raft_done) {
      auto done = std::move(c->raft_done);
      c->raft_done = nullptr;
      done(-1, s.message());
    }
    conns_.erase(c);
    c->owner = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), [](uv_handle_t* h) {
      auto* conn = static_cast<Conn*>(h->data);
      conn->self.reset();  // may delete conn
    });
  }

  uv_loop_t* loop_;
  DistOptions options_;
  uv_tcp_t listener_{};
  bool listening_ = false;
  bool closed_ = false;
  int port_ = 0;
  uint64_t next_id_ = 0;
  std::set<std::shared_ptr<Conn>> conns_;
  std::map<std::string, std::shared_ptr<Conn>> rpc_;
  std::set<std::string> cut_nodes_, cut_addresses_;  // fault injection (Cut)

  friend class Dist;
};

}  // namespace

Result<std::pair<std::string, int>> SplitAddress(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
    return Status::BadInput("'" + address + "' is not host:port");
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = 0;
  for (char ch : address.substr(colon + 1)) {
    if (ch < '0' || ch > '9' || port > 65535) return Status::BadInput("bad port in " + address);
    port = port * 10 + (ch - '0');
  }
  if (port <= 0 || port > 65535) return Status::BadInput("bad port in " + address);
  return std::make_pair(host, port);
}

Result<std::unique_ptr<Dist>> Dist::Start(uv_loop_s* loop, DistOptions options) {
  auto d = std::make_unique<DistImpl>(loop, std::move(options));
  WARREN_TRY(d->Listen());
  return std::unique_ptr<Dist>(std::move(d));
}

}  // namespace warren::cluster
