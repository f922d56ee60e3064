// Publisher confirms waiting to be sent, in publish order: a channel's, and a peer
// session's for the publishes another member forwards. A confirm is due once the
// message store write of its batch is durable (Core::ConfirmOutcome) and every member
// it was also forwarded to confirmed its part; a nack when either failed. Internal to
// lib/broker.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>

namespace warren::broker {

struct Core;

class ConfirmQueue {
 public:
  // Publish `seq` (increasing), confirmed with `ack` unless the disk fails; it also waits
  // for `remote` confirms from other members.
  void Add(uint64_t seq, bool ack, uint32_t remote = 0) { due_.push_back({seq, ack, remote}); }
  // A member confirmed its part of publish `seq`.
  void RemoteConfirmed(uint64_t seq, bool ack);
  // Sends what is resolved, in order: runs of acks as ack(first, last), nacks one by
  // one; asks the core for the fdatasync the rest waits for. How many were acked.
  uint64_t Flush(Core& core, const std::function<void(uint64_t first, uint64_t last)>& ack,
                 const std::function<void(uint64_t seq)>& nack);
  size_t size() const { return due_.size(); }
  void clear() { due_.clear(); }

 private:
  struct Due {
    uint64_t seq;
    bool ack;                 // false: a nack whatever the disk does (reject-publish)
    uint32_t remote = 0;      // confirms still expected from other members
    uint64_t generation = 0;  // the message store write it waits for; 0 until assigned
  };
  std::deque<Due> due_;
};

}  // namespace warren::broker
