// A client connection moving to another shard of the node (DESIGN decision 5): a
// connection goes to the shard that holds the queue it first uses, so its messages do
// not cross between shards' loops. It moves only while nothing of it is tied to its
// shard (no consumers, unacknowledged deliveries, pending confirms or transaction), and
// only once; what moves is the socket, what the handshake settled, the channels'
// settings, and the input not handled yet, starting with the method that made it move.
// Internal to lib/broker.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "amqp/frame.h"
#include "base/status.h"

namespace warren::broker {

// What a channel keeps across a move: its settings and its counters.
struct ChannelState {
  uint16_t id = 0;
  bool flow_active = true;
  uint64_t next_tag = 0;
  uint32_t consumer_prefetch = 0;
  uint32_t channel_prefetch = 0;
  std::string last_queue;
  bool confirm = false;
  uint64_t publish_seq = 0;
  bool tx = false;
  // A direct reply-to consumer whose address no request carried yet: it gets an
  // address on the new shard.
  std::string reply_tag;
};

// What a client connection learned of its client and has counted since it was
// accepted: the peer, what the handshake settled, the traffic. A connection keeps it as
// one, so a move takes all of it.
struct Session {
  std::string peer;  // "address:port", as logs and listings name the connection
  bool loopback_peer = false;
  int64_t connected_at = 0;  // ms since the epoch
  std::string user, auth_mechanism;
  amqp::FieldTable client_properties;
  uint16_t channel_max = 0;
  uint32_t frame_max = 0;
  uint16_t heartbeat = 0;  // seconds; 0: none
  // The client's capabilities.
  bool cancel_notify = false, auth_failure_close = false, blocked_notify = false;
  bool published = false;  // a basic.publish was seen: alarms block this connection
  uint64_t recv_oct = 0, recv_cnt = 0, send_oct = 0, send_cnt = 0;
};

struct Handover {
  int fd = -1;  // the client's socket; closed with the handover unless taken
  Session session;
  std::string vhost;
  // The connection stays counted in its vhost's and user's limits, and its channels.
  int64_t tallied_channels = 0;
  std::vector<ChannelState> channels;
  // Input: decoded events not handled yet (body bytes in `held_bytes`), the decoder's
  // state (a content half received), the bytes of a partial frame, and the error the
  // decoder found after the events, if any.
  std::vector<amqp::FrameEvent> held;
  std::deque<std::string> held_bytes;
  amqp::FrameDecoder decoder;
  std::string input;
  std::optional<Status> input_error;

  Handover() = default;
  Handover(const Handover&) = delete;
  Handover& operator=(const Handover&) = delete;
  ~Handover() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace warren::broker
