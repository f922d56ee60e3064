// The broker's shards (DESIGN decision 5): N engines, each on an event loop of its own,
// each owning the connections handed to it and the queues they declare. Shard 0 runs
// on the node's loop and reads the metadata store itself; every other shard runs on a
// thread of its own and reads a replica of it (meta/replica.h), which the store's
// changes keep in step. Changes a shard makes to the metadata run on the node's loop.
//
// Shards use each other's queues as cluster members do (docs/clustering.md, "Queues
// across members"): each engine holds queues under a name of its own (the node's name
// for shard 0, "<node>/<i>" for shard i), and a queue another shard holds has a
// stand-in, served over a socketpair between the two shards' loops. In a cluster,
// each shard reaches other members' shards over peer links of its own, which the
// node dials and accepts on its loop and hands over (AcceptPeer with `to`).
//
// As a Broker, the shards answer for the node: listings gather every shard's rows,
// operations on a queue run on the shard that holds it, and declarations, bindings
// and publishes of operators run on shard 0, whose changes reach the others through
// the metadata. A call that needs another shard waits for it on the caller's fiber, or
// blocks the node's loop outside one.
//
// Use: from the node's loop only. An engine is used only on its own loop (Post).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <memory>
#include <set>
#include <string>

#include "base/status.h"
#include "broker/broker.h"

namespace asio {
class io_context;
}
namespace warren::meta {
class Store;
}

namespace warren::broker {

class Shards : public Broker {
 public:
  // Starts `count` shards (at least one). `options` are shard 0's; shard i keeps its
  // messages and page files in "<dir>.<i>" beside shard 0's directories.
  Shards(asio::io_context& io, meta::Store& store, BrokerOptions options, size_t count);
  // Stops every shard: each engine is destroyed on its own loop.
  ~Shards() override;
  Shards(const Shards&) = delete;
  Shards& operator=(const Shards&) = delete;

  size_t size() const;
  // Before the shards start on `node`: entities held by shards beyond `count` (the node
  // ran with more shards before). Their non-durable queues and exchanges are deleted
  // from the metadata; a durable queue among them stops the start with Precondition,
  // naming it and the shard count that serves it (its messages are in that shard's
  // directory).
  static Status Prepare(meta::Store& store, const std::string& node, size_t count);
  // How many shards the durable queues held by shards of `node` need (0 for none).
  static size_t Needed(const meta::Store& store, const std::string& node);
  // Runs task(engine) on shard i's loop, once its engine exists.
  void Post(size_t i, std::function<void(Broker&)> task);
  // Shard 0's engine, on the node's loop.
  Broker& first();
  // Hands an accepted client socket to the next shard, round robin.
  void Accept(int fd) override;
  // A connection moving between shards goes to shard 0 (shards move them themselves).
  void Adopt(std::shared_ptr<Handover> connection) override;

  // Broker, for the node (shards_admin.cc).
  // A link from holder `node` to shard 0.
  void AcceptPeer(const std::string& node, int fd) override;
  // A link from holder `from` (a member or one of its shards) to holder `to` of this node.
  void AcceptPeer(const std::string& from, const std::string& to, int fd);
  void CutPeers(const std::set<std::string>& nodes) override;
  void CloseAll(const std::string& reason) override;
  void MetadataChanged() override;
  void SetAlarm(const std::string& reason) override;
  const BrokerCounters& counters() const override;
  void CollectMetrics(plugin::NodeMetrics& m, bool per_queue) const override;
  size_t connection_count() const override;
  size_t channel_count() const override;
  nlohmann::json ListQueues(const std::string& vhost) const override;
  nlohmann::json ListExchanges(const std::string& vhost) const override;
  nlohmann::json ListBindings(const std::string& vhost) const override;
  nlohmann::json ListConnections() const override;
  nlohmann::json ListChannels() const override;
  nlohmann::json ListConsumers(const std::string& vhost) const override;
  std::string QueueHolder(const std::string& vhost, const std::string& name) override;
  Result<size_t> PurgeQueue(const std::string& vhost, const std::string& name) override;
  Result<size_t> DeleteQueue(const std::string& vhost, const std::string& name, bool if_unused,
                             bool if_empty) override;
  Status CloseConnection(const std::string& name, const std::string& explanation) override;
  size_t CloseAllConnections(const std::string& vhost, size_t limit, uint32_t delay_ms,
                             const std::string& explanation) override;
  Status DeclareQueue(const std::string& vhost, const std::string& name, bool durable,
                      bool auto_delete, const nlohmann::json& arguments) override;
  Status DeclareExchange(const std::string& vhost, const std::string& name,
                         const std::string& type, bool durable, bool auto_delete, bool internal,
                         const nlohmann::json& arguments) override;
  Status DeleteExchange(const std::string& vhost, const std::string& name,
                        bool if_unused) override;
  Status Bind(const std::string& vhost, const std::string& source,
              const std::string& destination, bool destination_is_exchange,
              const std::string& routing_key, const nlohmann::json& arguments,
              bool unbind) override;
  Result<size_t> Publish(const std::string& vhost, const std::string& exchange,
                         const std::string& routing_key, const nlohmann::json& properties,
                         std::string payload) override;
  Result<nlohmann::json> Get(const std::string& vhost, const std::string& queue, size_t count,
                             bool requeue) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  // Runs f(engine) on every shard in turn, waiting for each.
  void ForEach(const std::function<void(Broker&)>& f) const;
  // The shard holding queue `name`, or nullopt when another member holds it.
  std::optional<size_t> Holder(const std::string& vhost, const std::string& name);
  // Every shard's rows, one array.
  nlohmann::json Gather(const std::function<nlohmann::json(Broker&)>& list) const;
  mutable BrokerCounters totals_;
};

}  // namespace warren::broker
