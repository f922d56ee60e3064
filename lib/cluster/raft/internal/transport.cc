#include "cluster/raft/internal/transport.h"

#include <unistd.h>

#include <cassert>
#include <cstdio>
#include <cstring>
#include <utility>

namespace warren::cluster {

// One connect request of raft's. The dialer's callback keeps it alive; `transport`
// is cleared when the transport closes, so a late answer only closes its socket.
struct Transport::Dial {
  Transport* transport;
  raft_uv_connect* req;
  raft_uv_connect_cb cb;
  uint64_t id = 0;
  bool answered = false;
  int fd = -1;
  std::string error;
};

namespace {

void CloseFd(int fd) {
  if (fd >= 0) ::close(fd);
}

}  // namespace

Transport::Transport(uv_loop_t* loop, Dialer dial) : loop_(loop), dial_(std::move(dial)) {
  std::memset(&iface_, 0, sizeof iface_);
  iface_.impl = this;
  iface_.init = &Transport::Init;
  iface_.listen = &Transport::Listen;
  iface_.connect = &Transport::Connect;
  iface_.close = &Transport::Close;
}

Transport::~Transport() {
  // A wake handle that libuv still holds cannot be freed; leaking it beats corrupting
  // the loop, and raft always closes what it initialized.
  assert(!initialized_ || closed_);
  if (initialized_ && !closed_) (void)wake_.release();
  for (auto& d : dials_) {
    d->transport = nullptr;
    CloseFd(std::exchange(d->fd, -1));
  }
}

int Transport::Init(raft_uv_transport* t, raft_id /*id*/, const char* /*address*/) {
  Transport* self = Self(t);
  if (self->initialized_) return 0;
  self->wake_ = std::make_unique<uv_async_t>();
  if (int rv = uv_async_init(self->loop_, self->wake_.get(), [](uv_async_t* a) {
        static_cast<Transport*>(a->data)->OnWake();
      });
      rv != 0) {
    std::snprintf(t->errmsg, sizeof t->errmsg, "uv_async_init: %s", uv_strerror(rv));
    self->wake_.reset();
    return RAFT_IOERR;
  }
  self->wake_->data = self;
  self->initialized_ = true;
  return 0;
}

int Transport::Listen(raft_uv_transport* t, raft_uv_accept_cb cb) {
  Self(t)->accept_cb_ = cb;
  return 0;
}

int Transport::Connect(raft_uv_transport* t, raft_uv_connect* req, raft_id id,
                       const char* address, raft_uv_connect_cb cb) {
  Transport* self = Self(t);
  if (self->closing_) return RAFT_CANCELED;
  if (!self->dial_) {
    std::snprintf(t->errmsg, sizeof t->errmsg, "no dialer for server %llu", id);
    return RAFT_NOCONNECTION;
  }
  req->cb = cb;
  auto dial = std::make_shared<Dial>(Dial{self, req, cb, id});
  self->dials_.push_back(dial);
  // The answer is always delivered from the loop (through wake_), never from inside
  // this call: raft does not expect its callback before connect() returns.
  self->dial_(id, address, [dial](int fd, std::string error) {
    if (dial->answered || dial->transport == nullptr) {
      CloseFd(fd);  // a second answer, or one after close
      return;
    }
    dial->answered = true;
    dial->fd = fd;
    dial->error = fd >= 0 ? std::string() : std::move(error);
    if (!dial->transport->closing_) uv_async_send(dial->transport->wake_.get());
  });
  return 0;
}

bool Transport::Defer(std::function<void()> task) {
  if (!initialized_ || closing_) return false;
  deferred_.push_back(std::move(task));
  uv_async_send(wake_.get());
  return true;
}

void Transport::OnWake() {
  std::vector<std::shared_ptr<Dial>> answered;
  std::erase_if(dials_, [&](const std::shared_ptr<Dial>& d) {
    if (!d->answered) return false;
    answered.push_back(d);
    return true;
  });
  for (auto& d : answered) {
    d->transport = nullptr;
    int fd = std::exchange(d->fd, -1);
    if (fd < 0) {
      std::snprintf(iface_.errmsg, sizeof iface_.errmsg, "dial: %s",
                    d->error.empty() ? "failed" : d->error.c_str());
      d->cb(d->req, nullptr, RAFT_NOCONNECTION);
      continue;
    }
    uv_stream_t* stream = Wrap(fd, d->id);
    d->cb(d->req, stream, stream != nullptr ? 0 : RAFT_NOCONNECTION);
  }
  RunDeferred();
}

void Transport::RunDeferred() {
  while (!deferred_.empty()) {
    std::vector<std::function<void()>> tasks = std::move(deferred_);
    deferred_.clear();
    for (auto& task : tasks) task();
  }
}

Transport::Endpoints Transport::EndpointsOf(int fd) {
  Endpoints e;
  socklen_t len = sizeof e.local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&e.local), &len);
  len = sizeof e.peer;
  ::getpeername(fd, reinterpret_cast<sockaddr*>(&e.peer), &len);
  return e;
}

void Transport::Cut(const std::set<uint64_t>& ids) {
  // raft owns the streams and closes them itself; a socket shut down under it reads
  // as the peer gone. An fd raft has closed meanwhile (maybe reused) no longer has
  // the endpoints it had and is left alone.
  std::erase_if(streams_, [&](const Stream& s) {
    const Endpoints now = EndpointsOf(s.fd);
    const bool same = std::memcmp(&now, &s.endpoints, sizeof now) == 0;
    if (!same) return true;
    if (!ids.count(s.id)) return false;
    ::shutdown(s.fd, SHUT_RDWR);
    return true;
  });
}

uv_stream_t* Transport::Wrap(int fd, uint64_t id) {
  streams_.push_back(Stream{id, fd, EndpointsOf(fd)});
  // raft releases streams it owns with raft_free() after uv_close().
  auto* tcp = static_cast<uv_tcp_t*>(raft_malloc(sizeof(uv_tcp_t)));
  if (tcp == nullptr) {
    CloseFd(fd);
    return nullptr;
  }
  uv_tcp_init(loop_, tcp);
  if (int rv = uv_tcp_open(tcp, fd); rv != 0) {
    std::snprintf(iface_.errmsg, sizeof iface_.errmsg, "uv_tcp_open: %s", uv_strerror(rv));
    CloseFd(fd);
    uv_close(reinterpret_cast<uv_handle_t*>(tcp), [](uv_handle_t* h) { raft_free(h); });
    return nullptr;
  }
  return reinterpret_cast<uv_stream_t*>(tcp);
}

void Transport::Accept(uint64_t id, const std::string& address, int fd) {
  if (!initialized_ || closing_ || accept_cb_ == nullptr) {
    CloseFd(fd);
    return;
  }
  if (uv_stream_t* stream = Wrap(fd, id)) accept_cb_(&iface_, id, address.c_str(), stream);
}

void Transport::Close(raft_uv_transport* t, raft_uv_transport_close_cb cb) {
  Transport* self = Self(t);
  assert(self->initialized_ && !self->closing_);
  self->closing_ = true;
  self->close_cb_ = cb;
  self->accept_cb_ = nullptr;
  // Like libraft's TCP transport, pending connects fail with RAFT_CANCELED before the
  // close callback, once the loop no longer references our handle.
  uv_close(reinterpret_cast<uv_handle_t*>(self->wake_.get()),
           [](uv_handle_t* h) { static_cast<Transport*>(h->data)->OnClosed(); });
}

void Transport::OnClosed() {
  closed_ = true;
  std::vector<std::shared_ptr<Dial>> pending = std::move(dials_);
  dials_.clear();
  for (auto& d : pending) {
    d->transport = nullptr;
    CloseFd(std::exchange(d->fd, -1));
    d->cb(d->req, nullptr, RAFT_CANCELED);
  }
  RunDeferred();
  if (close_cb_) close_cb_(&iface_);
}

}  // namespace warren::cluster
