// A producer: publishes pre-encoded messages in batches of about 64 KiB per write(),
// stamping each with its publish time, within the confirm window and the rate limit.
#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "perf/internal/workers.h"

namespace warren::perf::internal {
namespace {

constexpr size_t kBatchBytes = 64 * 1024;

void PutBig(char* at, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i, v >>= 8) at[i] = static_cast<char>(v);
}

// Tracks publisher confirms: sequence numbers [low_, next_) are in flight, at most
// `window` of them; acked_ marks the ones confirmed out of order.
class ConfirmWindow {
 public:
  explicit ConfirmWindow(uint64_t window) : acked_(std::max<uint64_t>(window, 1)) {}
  uint64_t room() const { return acked_.size() - (next_ - low_); }
  bool empty() const { return next_ == low_; }
  void Published(uint64_t n) { next_ += n; }
  // Returns how many messages this ack or nack settles.
  uint64_t Settle(uint64_t tag, bool multiple) {
    if (tag < low_ || tag >= next_) return 0;
    uint64_t settled = 0;
    if (multiple) {
      for (; low_ <= tag; ++low_) settled += Take(low_) ? 0 : 1;
    } else if (acked_[tag % acked_.size()] == 0) {
      acked_[tag % acked_.size()] = 1;
      settled = 1;
    }
    while (low_ < next_ && acked_[low_ % acked_.size()] != 0) Take(low_++);
    return settled;
  }

 private:
  bool Take(uint64_t seq) { return std::exchange(acked_[seq % acked_.size()], uint8_t{0}) != 0; }
  std::vector<uint8_t> acked_;
  uint64_t low_ = 1;  // delivery tags start at 1
  uint64_t next_ = 1;
};

}  // namespace

void RunProducer(RunContext& ctx, int index, WorkerState& state) {
  const Options& o = ctx.options;
  RunWithConnection(ctx, state, "warren-perf-producer-" + std::to_string(index),
                    [&](Connection& c) -> Status {
    if (o.confirm > 0) WARREN_TRY(c.Call(amqp::ConfirmSelect{}).status());
    // One message, encoded once; each publish copies it and patches the stamp.
    amqp::BasicPublish publish{ExchangeName(ctx.target.exchange), ctx.target.routing_key,
                               o.mandatory};
    amqp::BasicProperties properties;
    properties.delivery_mode = o.persistent ? 2 : 1;
    const std::string body(static_cast<size_t>(o.size), '\0');
    std::string message;
    WARREN_TRY(amqp::WriteContent(message, kChannel, publish, properties, body, c.frame_max()));
    const size_t chunk = c.frame_max() - amqp::kFrameOverhead;
    const size_t body_frames = (body.size() + chunk - 1) / chunk;
    const size_t stamp_at =
        message.size() - body.size() - body_frames * amqp::kFrameOverhead + amqp::kFrameHeaderSize;
    const bool stamped = o.size >= kTimestampedBodySize;

    const uint64_t limit = static_cast<uint64_t>(o.producer_messages);
    const uint64_t per_batch = std::max<size_t>(1, kBatchBytes / message.size());
    ConfirmWindow confirms(static_cast<uint64_t>(o.confirm));
    uint64_t sent = 0;
    const Clock::time_point start = Clock::now();
    state.ready.store(true);

    auto handle = [&](std::chrono::milliseconds wait) -> Status {
      WARREN_ASSIGN_OR_RETURN(auto events, c.Poll(wait));
      for (const amqp::FrameEvent& e : events) {
        const auto* m = std::get_if<amqp::MethodEvent>(&e);
        if (m == nullptr) continue;
        if (const auto* ack = std::get_if<amqp::BasicAck>(&m->method)) {
          state.confirmed += confirms.Settle(ack->delivery_tag.get(), ack->multiple);
        } else if (const auto* nack = std::get_if<amqp::BasicNack>(&m->method)) {
          state.nacked += confirms.Settle(nack->delivery_tag.get(), nack->multiple);
        } else if (std::holds_alternative<amqp::BasicReturn>(m->method)) {
          ++state.returned;
        }
      }
      return Status::OK();
    };

    while (!ctx.stop.load(std::memory_order_relaxed) && (limit == 0 || sent < limit)) {
      uint64_t n = per_batch;
      if (limit > 0) n = std::min(n, limit - sent);
      if (o.confirm > 0) n = std::min(n, confirms.room());
      if (o.rate > 0) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const auto due = static_cast<uint64_t>(std::floor(o.rate * elapsed)) + 1;
        n = std::min(n, due > sent ? due - sent : 0);
        if (n == 0) {
          const double wait = static_cast<double>(sent) / o.rate - elapsed;
          std::this_thread::sleep_for(std::chrono::duration<double>(std::min(wait, 0.01)));
          WARREN_TRY(handle(std::chrono::milliseconds(0)));
          continue;
        }
      }
      if (n == 0) {  // the confirm window is full
        WARREN_TRY(handle(std::chrono::milliseconds(100)));
        continue;
      }
      std::string& out = c.out();
      for (uint64_t i = 0; i < n; ++i) {
        const size_t at = out.size();
        out.append(message);
        if (!stamped) continue;
        PutBig(&out[at + stamp_at], NowNanos(), 8);
        PutBig(&out[at + stamp_at + 8], sent + i, 4);
      }
      WARREN_TRY(c.Flush());
      sent += n;
      confirms.Published(n);
      state.messages.fetch_add(n, std::memory_order_relaxed);
      WARREN_TRY(handle(std::chrono::milliseconds(0)));
    }
    // A producer with a message count is done when the last of them is confirmed.
    while (o.confirm > 0 && !confirms.empty() && !ctx.stop.load()) {
      WARREN_TRY(handle(std::chrono::milliseconds(100)));
    }
    if (limit > 0 && sent >= limit) state.finished.store(true);
    // Stay connected until the run stops, so returns and closes are still seen.
    while (!ctx.stop.load()) WARREN_TRY(handle(std::chrono::milliseconds(100)));
    return Status::OK();
  });
}

}  // namespace warren::perf::internal
