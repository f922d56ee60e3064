// A message's place in a queue: its order, expiry and delivery state. Internal to
// lib/broker.
#pragma once

#include <cstdint>

#include "broker/message.h"

namespace warren::broker {

struct Entry {
  MessagePtr message;
  uint64_t seq = 0;         // order within the queue, kept across requeues
  int64_t expires_at = 0;   // steady ms; 0 = never
  bool redelivered = false;
  bool persisted = false;   // in the message store: removed from it when it leaves
  // A delivery from a stand-in queue: the link to the queue's member that made it
  // (RemoteHome's epoch); seq is then that member's delivery number.
  uint32_t link = 0;
};

}  // namespace warren::broker
