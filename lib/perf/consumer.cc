// A consumer: reads deliveries in large chunks, measures latency from the publish time
// in the body, and acks (one by one, or every N with multiple=true) in one write per
// chunk.
#include "perf/internal/workers.h"

namespace warren::perf::internal {
namespace {

uint64_t GetBig(std::string_view bytes, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace

void RunConsumer(RunContext& ctx, int index, WorkerState& state) {
  const Options& o = ctx.options;
  RunWithConnection(ctx, state, "warren-perf-consumer-" + std::to_string(index),
                    [&](Connection& c) -> Status {
    if (o.qos > 0) {
      WARREN_TRY(c.Call(amqp::BasicQos{0, static_cast<uint16_t>(o.qos), false}).status());
    }
    amqp::BasicConsume consume;
    consume.queue = QueueName(ctx.target.queue);
    consume.no_ack = o.autoack;
    WARREN_TRY(c.Call(consume).status());
    state.ready.store(true);

    const uint64_t limit = static_cast<uint64_t>(o.consumer_messages);
    const uint64_t ack_every = static_cast<uint64_t>(o.multi_ack_every);
    uint64_t received = 0;
    uint64_t unacked = 0;
    DeliveryTag last_tag;
    uint64_t body_size = 0;
    bool first_body = false;  // the next body frame starts a message

    auto ack_pending = [&]() -> Status {
      if (o.autoack || unacked == 0) return Status::OK();
      unacked = 0;
      return c.Append(amqp::BasicAck{last_tag, true});
    };

    while (!ctx.stop.load(std::memory_order_relaxed) && (limit == 0 || received < limit)) {
      WARREN_ASSIGN_OR_RETURN(auto events, c.Poll(std::chrono::milliseconds(100)));
      if (events.empty()) continue;
      // Everything in one read arrived together: one clock reading serves them all.
      const uint64_t now = NowNanos();
      uint64_t completed = 0;
      auto complete = [&]() -> Status {
        ++completed;
        if (o.autoack) return Status::OK();
        if (ack_every == 0) return c.Append(amqp::BasicAck{last_tag, false});
        if (++unacked >= ack_every) return ack_pending();
        return Status::OK();
      };
      std::unique_lock<std::mutex> lock(state.latency_mu);
      for (const amqp::FrameEvent& e : events) {
        if (const auto* m = std::get_if<amqp::MethodEvent>(&e)) {
          if (const auto* d = std::get_if<amqp::BasicDeliver>(&m->method)) {
            last_tag = d->delivery_tag;
          } else if (std::holds_alternative<amqp::BasicCancel>(m->method)) {
            return Status::Unavailable("the server cancelled consumer #" + std::to_string(index) +
                                       " (was queue '" + ctx.target.queue + "' deleted?)");
          }
        } else if (const auto* h = std::get_if<amqp::HeaderEvent>(&e)) {
          body_size = h->body_size;
          first_body = true;
          if (body_size == 0) WARREN_TRY(complete());
        } else if (const auto* b = std::get_if<amqp::BodyEvent>(&e)) {
          if (first_body && body_size >= kTimestampedBodySize && b->bytes.size() >= 8) {
            const uint64_t stamp = GetBig(b->bytes, 8);
            state.latency.Record(now > stamp ? now - stamp : 0);
          }
          first_body = false;
          if (b->last) WARREN_TRY(complete());
        }
      }
      lock.unlock();
      received += completed;
      state.messages.fetch_add(completed, std::memory_order_relaxed);
      if (limit > 0 && received >= limit) WARREN_TRY(ack_pending());
      if (!c.out().empty()) WARREN_TRY(c.Flush());
    }
    if (limit > 0 && received >= limit) state.finished.store(true);
    // Unacked messages go back to the queue when the connection closes.
    return Status::OK();
  });
}

}  // namespace warren::perf::internal
