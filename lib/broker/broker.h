// The AMQP 0-9-1 broker engine of a node: it takes accepted client sockets, speaks the
// protocol on them (handshake, authentication against the metadata store, channels)
// and holds every vhost's exchanges, queues and bindings. Runs on the io_context it is
// given; every call must come from that context's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "plugin/api.h"

namespace asio {
class io_context;
}
namespace warren::meta {
class View;
}

namespace warren::broker {

struct Handover;  // a client connection moving between shards (handover.h)

// How listings name a connection, channel or queue process of `holder`, as Erlang
// prints a pid: "<node.creation.serial.shard>".
std::string PidText(const std::string& holder, int64_t creation, uint64_t serial);

struct BrokerOptions {
  std::string node_name;     // "warren@host", in connection.start's server properties
  std::string cluster_name;  // defaults to the node name
  uint16_t channel_max = 2047;
  uint32_t frame_max = 131072;
  uint16_t heartbeat = 60;  // seconds proposed in connection.tune; 0 disables
  uint64_t max_message_size = 134217728;
  uint32_t handshake_timeout_ms = 10000;  // to get from TCP connect to connection.open
  std::string message_store_dir;  // persistent messages; empty: nothing persists
  // Queue backlogs past `page_above` ready messages (per priority lane) are paged out
  // to files in `paging_dir`, emptied at start; empty: everything stays in memory.
  std::string paging_dir;
  size_t page_above = 65536;
  std::vector<std::string> loopback_users = {"guest"};
  // Plugins' extension points: exchange types by name (null when unknown) and the
  // handler broker events go to. Either may be empty.
  std::function<std::shared_ptr<plugin::ExchangeType>(const std::string&)> exchange_types;
  std::function<void(const plugin::Event&)> on_event;
  // Clustered or sharded: opens a peer link from this engine (holder `from`, its
  // node_name) to holder `to` (a member, a shard of one, or a sibling shard), for the
  // queues it holds: done(fd, "") or done(-1, why), later, on this thread. Unset on a
  // standalone node's only shard.
  std::function<void(const std::string& from, const std::string& to,
                     std::function<void(int fd, std::string error)> done)>
      dial_peer;
  // Clustered: the members (this node included), where new queues may be placed.
  // Called on the engine's thread.
  std::function<std::vector<std::string>()> members;
  // With shards: the counts of connections and channels they share for limits; each
  // engine counts its own when unset.
  std::shared_ptr<class Tally> tally;
  // With shards: whether `holder` names another shard of this node (shards.h).
  std::function<bool(const std::string& holder)> is_shard;
  // With shards: gives a client connection to the shard `holder` (handover.h), whose
  // engine Adopts it. Called on the engine's thread.
  std::function<void(const std::string& holder, std::shared_ptr<Handover>)> hand_over;
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

  BrokerCounters& operator+=(const BrokerCounters& o);  // several shards' totals
};
// The counters as NodeMetrics' *_total fields.
void PutTotals(const BrokerCounters& c, plugin::NodeMetrics& m);

class Broker {
 public:
  virtual ~Broker() = default;
  static std::unique_ptr<Broker> Create(asio::io_context& io, meta::View& store,
                                        BrokerOptions options);

  // Takes ownership of an accepted TCP socket and serves it.
  virtual void Accept(int fd) = 0;
  // Serves a client connection another shard handed over (BrokerOptions::hand_over).
  virtual void Adopt(std::shared_ptr<Handover> connection) = 0;
  // Takes ownership of a peer link member `node` opened to use this node's queues.
  virtual void AcceptPeer(const std::string& node, int fd) = 0;
  // Fault injection (tests of partitions): drops the peer links with `nodes`, as if
  // the network to them were cut.
  virtual void CutPeers(const std::set<std::string>& nodes) = 0;
  // Closes every client connection with 320 CONNECTION_FORCED (stop_app, shutdown).
  virtual void CloseAll(const std::string& reason) = 0;
  // Metadata changed (a vhost deleted, a policy set): re-read what the engine caches.
  virtual void MetadataChanged() = 0;
  // Resource alarms started or cleared: while one is on, a connection that publishes is
  // sent connection.blocked with `reason` ("low on memory", "low on disk") and no longer
  // read; an empty reason clears them.
  virtual void SetAlarm(const std::string& reason) = 0;

  virtual const BrokerCounters& counters() const = 0;
  // The engine's part of the metrics plugins read: counts and totals, and each queue's
  // when `per_queue`.
  virtual void CollectMetrics(plugin::NodeMetrics& m, bool per_queue) const = 0;
  virtual size_t connection_count() const = 0;
  virtual size_t channel_count() const = 0;

  // What the admin service lists and changes (admin.cc). Rows are JSON objects keyed by
  // RabbitMQ's info item names; a vhost the engine has not loaded lists nothing (the
  // caller checks that the vhost exists). Identifiers of queues, channels and
  // connections are pid-like: "<node.creation.serial.0>".
  virtual nlohmann::json ListQueues(const std::string& vhost) const = 0;
  virtual nlohmann::json ListExchanges(const std::string& vhost) const = 0;
  // Includes the default exchange's implicit binding to every queue.
  virtual nlohmann::json ListBindings(const std::string& vhost) const = 0;
  virtual nlohmann::json ListConnections() const = 0;
  virtual nlohmann::json ListChannels() const = 0;
  virtual nlohmann::json ListConsumers(const std::string& vhost) const = 0;

  // The member holding queue `name` when it is another member (the admin operations
  // below act on this node's queues: the caller sends them there); empty otherwise.
  virtual std::string QueueHolder(const std::string& vhost, const std::string& name) = 0;
  // How many ready messages were dropped. NotFound (subject queue) for a missing queue.
  virtual Result<size_t> PurgeQueue(const std::string& vhost, const std::string& name) = 0;
  // How many ready messages went with the queue. NotFound (subject queue) for a missing
  // queue; Precondition (subject in_use / not_empty) when a condition fails.
  virtual Result<size_t> DeleteQueue(const std::string& vhost, const std::string& name,
                                     bool if_unused, bool if_empty) = 0;
  // Closes the connection named `name` ("peer -> local") or with that pid-like id,
  // with 320 CONNECTION_FORCED. NotFound when there is none.
  virtual Status CloseConnection(const std::string& name, const std::string& explanation) = 0;
  // Closes the connections of `vhost` (every vhost when empty), at most `limit` of them
  // (0: no limit), `delay_ms` apart. How many it closes.
  virtual size_t CloseAllConnections(const std::string& vhost, size_t limit, uint32_t delay_ms,
                                     const std::string& explanation) = 0;

  // Declarations, bindings, publishing and basic.get on behalf of an operator, through
  // the same code paths as the AMQP methods. Errors carry the AMQP reply text with the
  // kind of its code (404 NotFound, 405/406 Precondition, others BadInput). `arguments`
  // is a JSON object (field_json.h).
  virtual Status DeclareQueue(const std::string& vhost, const std::string& name, bool durable,
                              bool auto_delete, const nlohmann::json& arguments) = 0;
  virtual Status DeclareExchange(const std::string& vhost, const std::string& name,
                                 const std::string& type, bool durable, bool auto_delete,
                                 bool internal, const nlohmann::json& arguments) = 0;
  virtual Status DeleteExchange(const std::string& vhost, const std::string& name,
                                bool if_unused) = 0;
  virtual Status Bind(const std::string& vhost, const std::string& source,
                      const std::string& destination, bool destination_is_exchange,
                      const std::string& routing_key, const nlohmann::json& arguments,
                      bool unbind) = 0;
  // How many queues the message reached. `properties` uses basic.properties' field
  // names (content_type, delivery_mode, headers, ...).
  virtual Result<size_t> Publish(const std::string& vhost, const std::string& exchange,
                                 const std::string& routing_key,
                                 const nlohmann::json& properties, std::string payload) = 0;
  // Up to `count` messages from the head of `queue`, removed (requeue false) or put
  // back marked redelivered. Rows: payload, payload_bytes, redelivered, exchange,
  // routing_key, message_count (left after this one), properties.
  virtual Result<nlohmann::json> Get(const std::string& vhost, const std::string& queue,
                                     size_t count, bool requeue) = 0;
};

}  // namespace warren::broker
