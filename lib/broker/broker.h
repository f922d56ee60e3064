// The AMQP 0-9-1 broker engine of a node: it takes accepted client sockets, speaks the
// protocol on them (handshake, authentication against the metadata store, channels)
// and holds every vhost's exchanges, queues and bindings. Runs on the io_context it is
// given; every call must come from that context's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace asio {
class io_context;
}
namespace warren::meta {
class Store;
}

namespace warren::broker {

struct BrokerOptions {
  std::string node_name;     // "warren@host", in connection.start's server properties
  std::string cluster_name;  // defaults to the node name
  uint16_t channel_max = 2047;
  uint32_t frame_max = 131072;
  uint16_t heartbeat = 60;  // seconds proposed in connection.tune; 0 disables
  uint64_t max_message_size = 134217728;
  std::vector<std::string> loopback_users = {"guest"};
};

// Totals since boot, for status and metrics.
struct BrokerCounters {
  uint64_t connections_opened = 0;
  uint64_t connections_closed = 0;
  uint64_t messages_received = 0;   // published by clients
  uint64_t messages_routed = 0;
  uint64_t messages_unroutable_dropped = 0;
  uint64_t messages_unroutable_returned = 0;
  uint64_t messages_delivered = 0;  // to consumers and basic.get
  uint64_t messages_acknowledged = 0;
  uint64_t messages_redelivered = 0;
  uint64_t messages_confirmed = 0;
};

class Broker {
 public:
  virtual ~Broker() = default;
  static std::unique_ptr<Broker> Create(asio::io_context& io, meta::Store& store,
                                        BrokerOptions options);

  // Takes ownership of an accepted TCP socket and serves it.
  virtual void Accept(int fd) = 0;
  // Closes every client connection with 320 CONNECTION_FORCED (stop_app, shutdown).
  virtual void CloseAll(const std::string& reason) = 0;
  // Metadata changed (a vhost deleted, a policy set): re-read what the engine caches.
  virtual void MetadataChanged() = 0;
  // A resource alarm started or cleared: publishers are blocked while one is on.
  virtual void SetAlarm(bool on) = 0;

  virtual const BrokerCounters& counters() const = 0;
  virtual size_t connection_count() const = 0;
  virtual size_t channel_count() const = 0;
  // One JSON object per queue (vhost, name, durable, messages_ready, ...).
  virtual nlohmann::json ListQueues(const std::string& vhost) const = 0;
};

}  // namespace warren::broker
