#include "broker/confirms.h"

#include <algorithm>

#include "broker/core.h"

namespace warren::broker {

void ConfirmQueue::RemoteConfirmed(uint64_t seq, bool ack) {
  auto it = std::lower_bound(due_.begin(), due_.end(), seq,
                             [](const Due& d, uint64_t s) { return d.seq < s; });
  if (it == due_.end() || it->seq != seq || it->remote == 0) return;
  --it->remote;
  if (!ack) it->ack = false;
}

uint64_t ConfirmQueue::Flush(Core& core, const std::function<void(uint64_t, uint64_t)>& ack,
                             const std::function<void(uint64_t)>& nack) {
  if (due_.empty()) return 0;
  uint64_t run_first = 0, run_last = 0, acked = 0;
  auto flush_run = [&] {
    if (run_last == 0) return;
    ack(run_first, run_last);
    run_first = run_last = 0;
  };
  // Everything published so far was in the writes up to now.
  for (auto it = due_.rbegin(); it != due_.rend() && it->generation == 0; ++it)
    it->generation = core.durability.written;
  while (!due_.empty()) {
    Due& d = due_.front();
    if (d.remote > 0) break;
    const Core::Outcome o = core.ConfirmOutcome(d.generation);
    if (o == Core::Outcome::kPending) break;
    if (d.ack && o == Core::Outcome::kAck) {
      if (run_last == 0) run_first = d.seq;
      run_last = d.seq;
      ++acked;
    } else {
      flush_run();
      nack(d.seq);
    }
    due_.pop_front();
  }
  flush_run();
  if (!due_.empty()) core.WantDurable(due_.back().generation);
  return acked;
}

}  // namespace warren::broker
