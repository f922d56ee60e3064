// What the node asks of the shards as one broker: listings and counts gathered from
// every shard, operations on a queue run where it is held, and operators' changes made
// on shard 0 (shards.h).
#include <unistd.h>

#include <utility>

#include "base/log.h"
#include "broker/shards.h"
#include "broker/shards_impl.h"

namespace warren::broker {

void Shards::ForEach(const std::function<void(Broker&)>& f) const {
  for (size_t i = 0; i < impl_->shards.size(); ++i) impl_->RunOn(i, f);
}

nlohmann::json Shards::Gather(const std::function<nlohmann::json(Broker&)>& list) const {
  nlohmann::json out = nlohmann::json::array();
  ForEach([&](Broker& b) {
    for (auto& row : list(b)) out.push_back(std::move(row));
  });
  return out;
}

std::optional<size_t> Shards::Holder(const std::string& vhost, const std::string& name) {
  const std::string holder = first().QueueHolder(vhost, name);
  if (holder.empty()) return 0;
  return impl_->Sibling(holder);
}

void Shards::AcceptPeer(const std::string& node, int fd) { AcceptPeer(node, node, fd); }

void Shards::AcceptPeer(const std::string& from, const std::string& to, int fd) {
  auto j = impl_->Sibling(to);
  if (!j) {
    log::Warning("a peer link from " + from + " asks for " + to + ", which this node does "
                 "not run (warren.shards is lower here); closing it");
    ::close(fd);
    return;
  }
  impl_->GiveSocket(*j, fd, [from](Broker& b, int fd) { b.AcceptPeer(from, fd); });
}

void Shards::CutPeers(const std::set<std::string>& nodes) {
  ForEach([&](Broker& b) { b.CutPeers(nodes); });
}

void Shards::CloseAll(const std::string& reason) {
  ForEach([&](Broker& b) { b.CloseAll(reason); });
}

void Shards::MetadataChanged() {
  impl_->CopyMembers();  // members join and leave through the metadata's log
  impl_->first_seen_revision = impl_->store.revision();
  first().MetadataChanged();
}

void Shards::SetAlarm(const std::string& reason) {
  first().SetAlarm(reason);
  for (size_t i = 1; i < size(); ++i) Post(i, [reason](Broker& b) { b.SetAlarm(reason); });
}

const BrokerCounters& Shards::counters() const {
  BrokerCounters sum;
  ForEach([&](Broker& b) { sum += b.counters(); });
  totals_ = sum;
  return totals_;
}

void Shards::CollectMetrics(plugin::NodeMetrics& m, bool per_queue) const {
  BrokerCounters totals;
  ForEach([&](Broker& b) {
    plugin::NodeMetrics s;
    b.CollectMetrics(s, per_queue);
    m.connections += s.connections;
    m.channels += s.channels;
    m.consumers += s.consumers;
    m.queue_count += s.queue_count;
    m.messages_ready += s.messages_ready;
    m.messages_unacked += s.messages_unacked;
    for (auto& q : s.queues) m.queues.push_back(std::move(q));
    totals += b.counters();
  });
  PutTotals(totals, m);
}

size_t Shards::connection_count() const {
  size_t n = 0;
  ForEach([&](Broker& b) { n += b.connection_count(); });
  return n;
}

size_t Shards::channel_count() const {
  size_t n = 0;
  ForEach([&](Broker& b) { n += b.channel_count(); });
  return n;
}

nlohmann::json Shards::ListQueues(const std::string& vhost) const {
  return Gather([&](Broker& b) { return b.ListQueues(vhost); });
}

// Every shard knows the exchanges and the bindings of the queues the metadata records;
// an exclusive queue's are known on its own shard only. Each row once.
nlohmann::json Shards::ListExchanges(const std::string& vhost) const {
  nlohmann::json out = nlohmann::json::array();
  std::set<std::string> seen;
  for (auto& row : Gather([&](Broker& b) { return b.ListExchanges(vhost); }))
    if (seen.insert(row.value("name", "")).second) out.push_back(std::move(row));
  return out;
}

nlohmann::json Shards::ListBindings(const std::string& vhost) const {
  nlohmann::json out = nlohmann::json::array();
  std::set<nlohmann::json> seen;
  for (auto& row : Gather([&](Broker& b) { return b.ListBindings(vhost); }))
    if (seen.insert(row).second) out.push_back(std::move(row));
  return out;
}

nlohmann::json Shards::ListConnections() const {
  return Gather([](Broker& b) { return b.ListConnections(); });
}

nlohmann::json Shards::ListChannels() const {
  return Gather([](Broker& b) { return b.ListChannels(); });
}

nlohmann::json Shards::ListConsumers(const std::string& vhost) const {
  return Gather([&](Broker& b) { return b.ListConsumers(vhost); });
}

std::string Shards::QueueHolder(const std::string& vhost, const std::string& name) {
  const std::string holder = first().QueueHolder(vhost, name);
  return impl_->Sibling(holder) ? "" : holder;
}

Result<size_t> Shards::PurgeQueue(const std::string& vhost, const std::string& name) {
  Result<size_t> r = Status::Unavailable("the broker is stopping");
  impl_->RunOn(Holder(vhost, name).value_or(0), [&](Broker& b) { r = b.PurgeQueue(vhost, name); });
  return r;
}

Result<size_t> Shards::DeleteQueue(const std::string& vhost, const std::string& name,
                                   bool if_unused, bool if_empty) {
  Result<size_t> r = Status::Unavailable("the broker is stopping");
  impl_->RunOn(Holder(vhost, name).value_or(0),
               [&](Broker& b) { r = b.DeleteQueue(vhost, name, if_unused, if_empty); });
  return r;
}

Result<nlohmann::json> Shards::Get(const std::string& vhost, const std::string& queue,
                                   size_t count, bool requeue) {
  Result<nlohmann::json> r = Status::Unavailable("the broker is stopping");
  impl_->RunOn(Holder(vhost, queue).value_or(0),
               [&](Broker& b) { r = b.Get(vhost, queue, count, requeue); });
  return r;
}

Status Shards::CloseConnection(const std::string& name, const std::string& explanation) {
  Status s = first().CloseConnection(name, explanation);
  for (size_t i = 1; i < size() && !s.ok() && s.kind() == ErrorKind::kNotFound; ++i)
    impl_->RunOn(i, [&](Broker& b) { s = b.CloseConnection(name, explanation); });
  return s;
}

size_t Shards::CloseAllConnections(const std::string& vhost, size_t limit, uint32_t delay_ms,
                                   const std::string& explanation) {
  size_t closed = 0;
  ForEach([&](Broker& b) {
    if (limit != 0 && closed >= limit) return;
    closed += b.CloseAllConnections(vhost, limit == 0 ? 0 : limit - closed, delay_ms, explanation);
  });
  return closed;
}

Status Shards::DeclareQueue(const std::string& vhost, const std::string& name, bool durable,
                            bool auto_delete, const nlohmann::json& arguments) {
  return first().DeclareQueue(vhost, name, durable, auto_delete, arguments);
}

Status Shards::DeclareExchange(const std::string& vhost, const std::string& name,
                               const std::string& type, bool durable, bool auto_delete,
                               bool internal, const nlohmann::json& arguments) {
  return first().DeclareExchange(vhost, name, type, durable, auto_delete, internal, arguments);
}

Status Shards::DeleteExchange(const std::string& vhost, const std::string& name, bool if_unused) {
  return first().DeleteExchange(vhost, name, if_unused);
}

Status Shards::Bind(const std::string& vhost, const std::string& source,
                    const std::string& destination, bool destination_is_exchange,
                    const std::string& routing_key, const nlohmann::json& arguments, bool unbind) {
  return first().Bind(vhost, source, destination, destination_is_exchange, routing_key, arguments,
                      unbind);
}

Result<size_t> Shards::Publish(const std::string& vhost, const std::string& exchange,
                               const std::string& routing_key, const nlohmann::json& properties,
                               std::string payload) {
  return first().Publish(vhost, exchange, routing_key, properties, std::move(payload));
}

}  // namespace warren::broker
