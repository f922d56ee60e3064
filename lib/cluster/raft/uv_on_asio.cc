#include "cluster/raft/uv_on_asio.h"

#include <poll.h>
#include <signal.h>
#include <uv.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <algorithm>
#include <cassert>
#include <string>

namespace warren::cluster {
namespace {

// A round of uv_run(UV_RUN_NOWAIT) can leave work that only a further round does: libuv
// adds the watchers that callbacks started to epoll at the start of its next poll
// phase (uv_backend_timeout() does not count them), and it takes a bounded number of
// events per poll. The watcher queue is a private field of uv_loop_t, read here because
// embedding a loop has no other way to see it.
bool WatchersPending(uv_loop_t* loop) {
  return loop->watcher_queue[0] != static_cast<void*>(&loop->watcher_queue);
}

bool BackendReadable(uv_loop_t* loop) {
  pollfd p{uv_backend_fd(loop), POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

// libuv writes to sockets with write(2), which raises SIGPIPE once the peer has gone,
// and that kills the process by default. Asio sends with MSG_NOSIGNAL; libuv needs
// the signal ignored, as every libuv program does. A handler already set is kept.
void IgnoreSigpipe() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    ::signal(SIGPIPE, SIG_IGN);
  }
}

// Enough rounds to settle what callbacks start; beyond that the watches pick it up.
constexpr int kMaxRoundsPerWake = 16;

}  // namespace

class UvOnAsio::Watcher {
 public:
  Watcher(asio::io_context& io, int fd) : backend(io, fd), timer(io) {}
  asio::posix::stream_descriptor backend;  // the loop's epoll fd; never closed by us
  asio::steady_timer timer;
  bool backend_waiting = false;
};

void UvOnAsio::LoopDeleter::operator()(uv_loop_s* loop) const { delete loop; }

UvOnAsio::UvOnAsio(asio::io_context& io) : io_(io), alive_(std::make_shared<bool>(true)) {}

Result<std::unique_ptr<UvOnAsio>> UvOnAsio::Create(asio::io_context& io) {
  IgnoreSigpipe();
  std::unique_ptr<UvOnAsio> self(new UvOnAsio(io));
  std::unique_ptr<uv_loop_s, LoopDeleter> loop(new uv_loop_t);
  if (int rv = uv_loop_init(loop.get()); rv != 0) {
    return Status::Internal(std::string("uv_loop_init: ") + uv_strerror(rv));
  }
  self->loop_ = std::move(loop);
  self->watcher_ = std::make_unique<Watcher>(io, uv_backend_fd(self->loop_.get()));
  self->Arm();
  return self;
}

UvOnAsio::~UvOnAsio() { Close(); }

void UvOnAsio::Kick() {
  if (kick_posted_ || closed_) return;
  kick_posted_ = true;
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    kick_posted_ = false;
    Run();
  });
}

int UvOnAsio::AddAfterRun(std::function<void()> hook) {
  after_run_.emplace_back(next_token_, std::move(hook));
  return next_token_++;
}

void UvOnAsio::RemoveAfterRun(int token) {
  std::erase_if(after_run_, [token](const auto& h) { return h.first == token; });
}

void UvOnAsio::Run() {
  if (closed_ || InLoop()) return;
  uv_loop_t* loop = loop_.get();
  for (int round = 0; round < kMaxRoundsPerWake; ++round) {
    ++running_;
    uv_run(loop, UV_RUN_NOWAIT);
    --running_;
    if (!WatchersPending(loop) && !BackendReadable(loop)) break;
  }
  // A hook may add or remove hooks: look each one up again before calling it.
  std::vector<int> tokens;
  for (const auto& h : after_run_) tokens.push_back(h.first);
  for (int token : tokens) {
    auto it = std::find_if(after_run_.begin(), after_run_.end(),
                           [token](const auto& h) { return h.first == token; });
    if (it != after_run_.end()) {
      auto hook = it->second;  // the hook may remove itself
      hook();
    }
  }
  Arm();
}

void UvOnAsio::Arm() {
  if (closed_) return;
  Watcher& w = *watcher_;
  std::weak_ptr<bool> alive = alive_;
  if (!w.backend_waiting) {
    w.backend_waiting = true;
    w.backend.async_wait(asio::posix::stream_descriptor::wait_read,
                         [this, alive](const asio::error_code& ec) {
                           if (alive.expired()) return;
                           watcher_->backend_waiting = false;
                           if (!ec) Run();
                         });
  }
  uv_loop_t* loop = loop_.get();
  // An idle loop reports a timeout of 0; it has nothing to wait for but its descriptor.
  int timeout = uv_loop_alive(loop) ? uv_backend_timeout(loop) : -1;
  if (WatchersPending(loop)) timeout = 0;
  if (timeout < 0) {
    w.timer.cancel();
    return;
  }
  w.timer.expires_after(std::chrono::milliseconds(timeout));  // cancels the previous wait
  w.timer.async_wait([this, alive](const asio::error_code& ec) {
    if (alive.expired() || ec) return;
    Run();
  });
}

bool UvOnAsio::RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  if (done()) return true;
  if (closed_ || InLoop()) return false;
  uv_loop_t* loop = loop_.get();
  struct Deadline {
    uv_timer_t timer;
    bool expired = false;
    bool closed = false;
  } deadline;
  uv_timer_init(loop, &deadline.timer);
  deadline.timer.data = &deadline;
  uv_timer_start(
      &deadline.timer,
      [](uv_timer_t* t) { static_cast<Deadline*>(t->data)->expired = true; },
      static_cast<uint64_t>(timeout.count() < 0 ? 0 : timeout.count()), 0);
  ++running_;
  while (!done() && !deadline.expired) uv_run(loop, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline.timer), [](uv_handle_t* h) {
    static_cast<Deadline*>(h->data)->closed = true;
  });
  // The timer lives on this stack frame: stay until libuv is done with it.
  while (!deadline.closed) uv_run(loop, UV_RUN_NOWAIT);
  --running_;
  Kick();  // the loop's timers and watchers changed under the Asio watches
  return done();
}

void UvOnAsio::Close() {
  if (closed_ || !loop_) return;
  assert(!InLoop());
  closed_ = true;
  alive_.reset();
  if (watcher_) {
    asio::error_code ignored;
    watcher_->timer.cancel();
    watcher_->backend.cancel(ignored);
    watcher_->backend.release();  // the descriptor belongs to libuv
    watcher_.reset();
  }
  uv_loop_t* loop = loop_.get();
  // Whatever is still open is closed without a callback: its owner has let go of it.
  uv_walk(
      loop,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
      },
      nullptr);
  ++running_;
  while (uv_loop_close(loop) == UV_EBUSY) uv_run(loop, UV_RUN_DEFAULT);
  --running_;
  loop_.reset();
}

}  // namespace warren::cluster
