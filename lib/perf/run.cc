// A run: declares the topology on a setup connection, starts the consumers (and waits
// until they consume) then the producers, reports once a second, and stops everything
// at the time limit, at the message counts, on SIGINT/SIGTERM or at the first error.
#include <csignal>
#include <deque>
#include <ostream>
#include <thread>

#include "perf/internal/report.h"
#include "perf/internal/workers.h"

namespace warren::perf {
namespace {

using internal::Clock;
using internal::RunContext;
using internal::Target;
using internal::WorkerState;

std::atomic<bool> g_interrupted{false};
extern "C" void OnSignal(int) { g_interrupted.store(true); }

// Declares the exchange, the queue and the binding the options ask for.
Result<Target> DeclareTopology(const Options& o, Connection& c) {
  Target t{o.exchange, o.routing_key, o.queue};
  if (!o.exchange.empty()) {
    amqp::ExchangeDeclare declare;
    declare.exchange = ExchangeName(o.exchange);
    declare.type = o.exchange_type;
    // amq.* names are reserved: RabbitMQ refuses to declare them, but they always exist.
    declare.passive = o.exchange.starts_with("amq.");
    WARREN_TRY(c.Call(declare).status());
  }
  if (o.consumers > 0 || !o.queue.empty()) {
    amqp::QueueDeclare declare;
    declare.queue = QueueName(o.queue);
    // A server-named queue goes away once its last consumer does. As PerfTest does, a
    // run with persistent messages declares its queue durable, so they reach the disk.
    declare.auto_delete = o.queue.empty();
    declare.durable = o.persistent;
    WARREN_ASSIGN_OR_RETURN(amqp::Method reply, c.Call(declare));
    t.queue = std::get<amqp::QueueDeclareOk>(reply).queue.get();
  }
  if (t.routing_key.empty()) t.routing_key = t.queue.empty() ? "warren-perf" : t.queue;
  if (!o.exchange.empty() && !t.queue.empty()) {
    WARREN_TRY(c.Call(amqp::QueueBind{QueueName(t.queue), ExchangeName(o.exchange),
                                      t.routing_key})
                   .status());
  }
  return t;
}

struct Totals {
  uint64_t sent = 0, confirmed = 0, nacked = 0, returned = 0, received = 0;
};

class Runner {
 public:
  Runner(const Options& o, std::ostream& out, RunContext& ctx)
      : o_(o), out_(out), ctx_(ctx), producers_(o.producers), consumers_(o.consumers) {}

  Result<Summary> Go();

 private:
  bool AnyExited() const;
  bool Done(const Totals& t) const;
  Totals Sum() const;
  void Stop();

  const Options& o_;
  std::ostream& out_;
  RunContext& ctx_;
  std::deque<WorkerState> producers_, consumers_;
  std::vector<std::thread> threads_;
  LatencyHistogram total_latency_;
};

bool Runner::AnyExited() const {
  for (const auto* side : {&producers_, &consumers_}) {
    for (const WorkerState& w : *side) {
      if (w.exited.load() && !w.finished.load()) return true;
    }
  }
  return false;
}

bool Runner::Done(const Totals& t) const {
  if (o_.producer_messages == 0 && o_.consumer_messages == 0) return false;
  auto all_finished = [](const std::deque<WorkerState>& side) {
    for (const WorkerState& w : side) {
      if (!w.finished.load()) return false;
    }
    return true;
  };
  bool consumers_done = all_finished(consumers_);
  if (o_.consumer_messages == 0 && o_.consumers > 0) {
    consumers_done = t.received >= static_cast<uint64_t>(o_.producers) *
                                       static_cast<uint64_t>(o_.producer_messages);
  }
  // Without a producer count, producers run as long as the consumers need them.
  const bool producers_done = o_.producer_messages == 0 ? consumers_done
                                                        : all_finished(producers_);
  return producers_done && consumers_done;
}

Totals Runner::Sum() const {
  Totals t;
  for (const WorkerState& w : producers_) {
    t.sent += w.messages.load();
    t.confirmed += w.confirmed.load();
    t.nacked += w.nacked.load();
    t.returned += w.returned.load();
  }
  for (const WorkerState& w : consumers_) t.received += w.messages.load();
  return t;
}

void Runner::Stop() {
  ctx_.stop.store(true);
  // Workers notice within 100 ms; one stuck in a write (a blocked connection) is cut off.
  const auto deadline = Clock::now() + std::chrono::seconds(3);
  auto all_exited = [&] {
    for (const auto* side : {&producers_, &consumers_}) {
      for (const WorkerState& w : *side) {
        if (!w.exited.load()) return false;
      }
    }
    return true;
  };
  while (!all_exited() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto* side : {&producers_, &consumers_}) {
    for (WorkerState& w : *side) w.Abort();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

Result<Summary> Runner::Go() {
  const bool text = !o_.json;
  for (int i = 0; i < o_.consumers; ++i) {
    if (text) out_ << "id: " << ctx_.id << ", starting consumer #" << i << std::endl;
    threads_.emplace_back(internal::RunConsumer, std::ref(ctx_), i, std::ref(consumers_[i]));
  }
  // Producers start once every consumer consumes, so no message is published unseen.
  for (const WorkerState& w : consumers_) {
    while (!w.ready.load() && !w.exited.load() && !g_interrupted.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  for (int i = 0; i < o_.producers && !AnyExited(); ++i) {
    if (text) out_ << "id: " << ctx_.id << ", starting producer #" << i << std::endl;
    threads_.emplace_back(internal::RunProducer, std::ref(ctx_), i, std::ref(producers_[i]));
  }

  const Clock::time_point start = Clock::now();
  Clock::time_point last = start;
  Totals before;
  std::string reason = "interrupted";
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const Clock::time_point now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const Totals totals = Sum();
    if (g_interrupted.load()) break;
    if (AnyExited()) {
      reason = "error";
      break;
    }
    if (o_.time_s > 0 && elapsed >= o_.time_s) {
      reason = "Reached time limit";
      break;
    }
    if (Done(totals)) {
      reason = "Reached message limits";
      break;
    }
    if (now - last < std::chrono::seconds(1)) continue;
    internal::Interval interval{ctx_.id, elapsed, std::chrono::duration<double>(now - last).count(),
                                totals.sent - before.sent, totals.confirmed - before.confirmed,
                                totals.nacked - before.nacked, totals.returned - before.returned,
                                totals.received - before.received, o_.confirm > 0, o_.mandatory};
    LatencyHistogram latency;
    for (WorkerState& w : consumers_) {
      std::lock_guard<std::mutex> lock(w.latency_mu);
      latency.Merge(w.latency);
      w.latency.Clear();
    }
    total_latency_.Merge(latency);
    interval.latency = internal::Summarize(latency);
    if (text) out_ << internal::FormatInterval(interval) << std::flush;
    before = totals;
    last = now;
  }
  const double duration = std::chrono::duration<double>(Clock::now() - start).count();
  Stop();
  for (const auto* side : {&consumers_, &producers_}) {
    for (const WorkerState& w : *side) {
      if (!w.error.ok()) return w.error;
    }
  }
  for (WorkerState& w : consumers_) total_latency_.Merge(w.latency);
  if (text) out_ << "id: " << ctx_.id << ", test stopped (" << reason << ")" << std::endl;
  const Totals t = Sum();
  Summary s{ctx_.id, duration, t.sent, t.confirmed, t.nacked, t.returned, t.received};
  s.send_rate = duration > 0 ? static_cast<double>(t.sent) / duration : 0;
  s.receive_rate = duration > 0 ? static_cast<double>(t.received) / duration : 0;
  s.latency = internal::Summarize(total_latency_);
  return s;
}

}  // namespace

Result<Summary> Run(const Options& options, std::ostream& out) {
  WARREN_ASSIGN_OR_RETURN(Uri uri, ParseUri(options.uri));
  RunContext ctx{options, uri, {}, internal::TestId(std::chrono::system_clock::now())};
  {
    WARREN_ASSIGN_OR_RETURN(auto setup, Connection::Open(uri, "warren-perf-setup"));
    WARREN_ASSIGN_OR_RETURN(ctx.target, DeclareTopology(options, *setup));
    setup->Close(std::chrono::seconds(2));
  }
  g_interrupted.store(false);
  struct sigaction action {}, old_int{}, old_term{};
  action.sa_handler = OnSignal;
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
  Runner runner(options, out, ctx);
  Result<Summary> summary = runner.Go();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return summary;
}

}  // namespace warren::perf
