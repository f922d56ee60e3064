// The producer and consumer loops of a run and the state each shares with the
// reporter. Each loop runs on its own thread with its own Connection; the reporter
// reads the atomics, takes the latency histogram under its mutex and may Abort the
// connection, also under a mutex, when a worker does not stop in time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "base/status.h"
#include "perf/client.h"
#include "perf/histogram.h"
#include "perf/perf.h"

namespace warren::perf::internal {

using Clock = std::chrono::steady_clock;

// The clock producers stamp into message bodies and consumers read, in nanoseconds.
inline uint64_t NowNanos() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// Where producers publish and consumers consume.
struct Target {
  std::string exchange;
  std::string routing_key;
  std::string queue;  // empty when nothing consumes
};

// What a run shares with all its workers.
struct RunContext {
  const Options& options;
  Uri uri;
  Target target;
  std::string id;
  std::atomic<bool> stop{false};  // set by the reporter: finish up and close
};

class WorkerState {
 public:
  std::atomic<uint64_t> messages{0};  // published, or received
  std::atomic<uint64_t> confirmed{0};
  std::atomic<uint64_t> nacked{0};
  std::atomic<uint64_t> returned{0};
  std::atomic<bool> ready{false};     // connected and set up (consumers: consuming)
  std::atomic<bool> finished{false};  // reached its message count
  std::atomic<bool> exited{false};    // the thread is about to return; `error` is final
  Status error;                       // written before `exited`

  // Latency recorded since the reporter last took it.
  std::mutex latency_mu;
  LatencyHistogram latency;

  // Publishes the worker's connection for Abort (nullptr when it has none).
  void SetConnection(Connection* c) {
    std::lock_guard<std::mutex> lock(connection_mu_);
    connection_ = c;
  }
  void Abort() {
    std::lock_guard<std::mutex> lock(connection_mu_);
    if (connection_ != nullptr) connection_->Abort();
  }

 private:
  std::mutex connection_mu_;
  Connection* connection_ = nullptr;
};

// Opens a connection named `name`, publishes it in `state`, runs `body` on it and closes
// it; the outcome (the first error, unless the run was stopping anyway) goes to
// state.error before state.exited is set.
template <typename Body>
void RunWithConnection(RunContext& ctx, WorkerState& state, const std::string& name, Body body) {
  Status s;
  auto connection = Connection::Open(ctx.uri, name);
  if (connection.ok()) {
    state.SetConnection(connection->get());
    s = body(**connection);
    (*connection)->Close(std::chrono::seconds(2));
    state.SetConnection(nullptr);
  } else {
    s = connection.status();
  }
  if (!s.ok() && !ctx.stop.load()) state.error = std::move(s);
  state.exited.store(true);
}

// Runs producer number `index` until ctx.stop or its message count; the outcome goes
// to state.error before state.exited is set.
void RunProducer(RunContext& ctx, int index, WorkerState& state);
// Runs consumer number `index` likewise.
void RunConsumer(RunContext& ctx, int index, WorkerState& state);

}  // namespace warren::perf::internal
