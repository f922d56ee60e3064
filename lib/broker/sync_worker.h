// fdatasync on threads of their own, so the event loop goes on reading, routing and
// delivering while the disk makes batches of persistent messages durable. Jobs start
// in the order submitted, `threads` at a time; each completion runs on the io_context.
// Created and destroyed on the io_context's thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"

namespace asio {
class io_context;
}

namespace warren::broker {

class SyncWorker {
 public:
  SyncWorker(asio::io_context& io, int threads);
  // Waits for the fdatasync in progress; completions not yet run are dropped.
  ~SyncWorker();

  // fdatasyncs and closes `fd`, then runs done(status) on the io_context.
  void Submit(int fd, std::function<void(Status)> done);

 private:
  struct Job {
    int fd;
    std::function<void(Status)> done;
  };
  void Run();

  asio::io_context& io_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace warren::broker
