#include "broker/sync_worker.h"

#include <unistd.h>

#include <asio.hpp>
#include <cerrno>
#include <cstring>

namespace warren::broker {

SyncWorker::SyncWorker(asio::io_context& io, int threads) : io_(io) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

SyncWorker::~SyncWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    for (auto& j : jobs_) ::close(j.fd);
    jobs_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  *alive_ = false;
}

void SyncWorker::Submit(int fd, std::function<void(Status)> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back({fd, std::move(done)});
  }
  cv_.notify_one();
}

void SyncWorker::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Status s;
    if (::fdatasync(job.fd) != 0)
      s = Status::Unavailable(std::string("message store: fdatasync failed: ") + std::strerror(errno));
    ::close(job.fd);
    asio::post(io_, [alive = alive_, done = std::move(job.done), s]() {
      if (*alive) done(s);
    });
  }
}

}  // namespace warren::broker
