// UvOnAsio: a libuv loop driven from an Asio io_context on the same thread, so that
// libraft's uv I/O backend runs next to the rest of warren without a thread of its own.
// Asio watches the loop's backend (epoll) descriptor and a timer set from the loop's
// next timeout, and runs the loop without blocking (UV_RUN_NOWAIT) on each wake.
// Several users may share one loop (the Raft log, the inter-node transport).
// Owned and used by one thread: the one running the io_context. Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"

struct uv_loop_s;

namespace asio {
class io_context;
}

namespace warren::cluster {

class UvOnAsio {
 public:
  // Creates a loop and starts watching it on `io`. Internal when libuv cannot create it.
  // Sets SIGPIPE to be ignored (if it has no handler): libuv's writes would raise it.
  static Result<std::unique_ptr<UvOnAsio>> Create(asio::io_context& io);
  // Closes the loop if Close() was not called.
  ~UvOnAsio();
  UvOnAsio(const UvOnAsio&) = delete;
  UvOnAsio& operator=(const UvOnAsio&) = delete;

  uv_loop_s* loop() { return loop_.get(); }
  asio::io_context& io() { return io_; }
  bool closed() const { return closed_; }

  // `hook` runs after every round of the loop driven from Asio, outside of uv_run:
  // where a user looks at state that uv callbacks changed and starts follow-up work.
  // Returns a token for RemoveAfterRun.
  int AddAfterRun(std::function<void()> hook);
  void RemoveAfterRun(int token);

  // Makes Asio run the loop soon. Call after starting uv work from outside a uv
  // callback: libuv registers new watchers and timers only while it runs.
  void Kick();

  // Runs only this loop (not the io_context) until done() is true or `timeout` passes;
  // returns done(). Other Asio work waits meanwhile.
  // REQUIRES: called from an Asio handler or plain code, never from a uv callback.
  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  // Stops watching, closes every handle still open and runs the loop until it closes.
  // REQUIRES: not inside a uv callback; the loop's users closed what they own (a
  // handle still open is closed without its callback, so its owner's memory leaks).
  void Close();

  // True while the loop is running on this thread (inside uv_run).
  bool InLoop() const { return running_ > 0; }

 private:
  struct LoopDeleter {
    void operator()(uv_loop_s* loop) const;
  };
  class Watcher;

  explicit UvOnAsio(asio::io_context& io);
  void Run();  // a non-blocking round of the loop, then re-arm the watches
  void Arm();

  asio::io_context& io_;
  std::unique_ptr<uv_loop_s, LoopDeleter> loop_;
  std::unique_ptr<Watcher> watcher_;  // Asio objects, kept out of this header
  std::vector<std::pair<int, std::function<void()>>> after_run_;
  int next_token_ = 1;
  std::shared_ptr<bool> alive_;  // posted handlers check it before touching `this`
  bool kick_posted_ = false;
  int running_ = 0;
  bool closed_ = false;
};

}  // namespace warren::cluster
