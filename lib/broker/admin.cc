// What the admin service lists and changes in the engine: the rows of list_queues,
// list_exchanges, list_bindings, list_connections, list_channels and list_consumers,
// and the operator's purge, delete, close, declare, bind, publish and get. Everything
// goes through the engine's own code paths (Vhost::DeleteQueue, Vhost::Route +
// Queue::Enqueue, Queue::Get, Connection::CloseWith).
#include <algorithm>
#include <map>
#include <tuple>

#include "amqp/codec_error.h"
#include "base/node_env.h"
#include "broker/broker_impl.h"
#include "broker/remote_home.h"
#include "broker/field_json.h"

namespace warren::broker {
namespace {

using nlohmann::json;

// The address without IPv4-mapped IPv6 wrapping, as RabbitMQ shows peers.
std::string HostText(const asio::ip::tcp::endpoint& e) {
  auto addr = e.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
  return addr.to_string();
}

// Sorted names of a map's keys.
template <typename Map>
std::vector<std::string> SortedKeys(const Map& m) {
  std::vector<std::string> names;
  for (const auto& [name, v] : m) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

// The name of the user policy that applies, or "".
std::string PolicyName(const Vhost& v, const std::string& name, policy::ResourceKind kind) {
  if (!v.policies() || !v.operator_policies()) return "";
  const policy::Effective e =
      policy::Resolve(policy::Resource{name, kind}, *v.policies(), *v.operator_policies());
  return e.policy ? e.policy->name : "";
}

// An engine refusal ("NOT_FOUND - no queue ...") as an admin error of the right kind.
Status AdminError(const Status& s) {
  if (s.ok()) return s;
  switch (amqp::ReplyCodeOf(s).value_or(0)) {
    case amqp::kNotFound: return Status::NotFound(s.message());
    case amqp::kResourceLocked:
    case amqp::kPreconditionFailed: return Status::Precondition(s.message());
    case amqp::kAccessRefused: return Status::AccessRefused(s.message());
    default: return s;
  }
}

// Unacknowledged deliveries of one queue, summed over every channel.
struct UnackedStats {
  uint64_t bytes = 0;
  uint64_t persistent = 0, persistent_bytes = 0;
};

}  // namespace

std::string PidText(const std::string& holder, int64_t creation, uint64_t serial) {
  const std::string node = HolderNode(holder);
  return "<" + node + "." + std::to_string(creation) + "." + std::to_string(serial) + "." +
         std::to_string(HolderShard(holder, node).value_or(0)) + ">";
}

BrokerCounters& BrokerCounters::operator+=(const BrokerCounters& o) {
  connections_opened += o.connections_opened;
  connections_closed += o.connections_closed;
  messages_received += o.messages_received;
  messages_routed += o.messages_routed;
  messages_unroutable_dropped += o.messages_unroutable_dropped;
  messages_unroutable_returned += o.messages_unroutable_returned;
  messages_delivered += o.messages_delivered;
  messages_acknowledged += o.messages_acknowledged;
  messages_redelivered += o.messages_redelivered;
  messages_confirmed += o.messages_confirmed;
  return *this;
}

void PutTotals(const BrokerCounters& c, plugin::NodeMetrics& m) {
  m.connections_opened_total = c.connections_opened;
  m.connections_closed_total = c.connections_closed;
  m.messages_received_total = c.messages_received;
  m.messages_routed_total = c.messages_routed;
  m.messages_unroutable_dropped_total = c.messages_unroutable_dropped;
  m.messages_unroutable_returned_total = c.messages_unroutable_returned;
  m.messages_delivered_total = c.messages_delivered;
  m.messages_acknowledged_total = c.messages_acknowledged;
  m.messages_redelivered_total = c.messages_redelivered;
  m.messages_confirmed_total = c.messages_confirmed;
}

std::string BrokerImpl::Pid(uint64_t serial) const {
  return PidText(core_.options.node_name, creation_, serial);
}

std::string BrokerImpl::ConnectionName(const Connection& c) const {
  return HostText(c.remote_endpoint()) + ":" + std::to_string(c.remote_endpoint().port()) +
         " -> " + HostText(c.local_endpoint()) + ":" + std::to_string(c.local_endpoint().port());
}

const Vhost* BrokerImpl::ListedVhost(const std::string& vhost) const {
  // The engine builds a vhost's model (its built-in exchanges) on first use; listing
  // one nobody used yet builds it, a cache fill that changes nothing observable.
  return const_cast<Core&>(core_).FindVhost(vhost);
}

Result<Vhost*> BrokerImpl::AdminVhost(const std::string& vhost) {
  Vhost* v = core_.FindVhost(vhost);
  if (!v) return Status::NotFound("no vhost '" + vhost + "'", "vhost");
  return v;
}

void BrokerImpl::CollectMetrics(plugin::NodeMetrics& m, bool per_queue) const {
  m.connections = core_.connections.size();
  m.channels = channel_count();
  PutTotals(core_.counters, m);
  // Every vhost in the store, including those no client has used yet (no queues).
  for (const auto& [vname, v] : core_.vhosts) {
    for (const auto& [qname, q] : v->queues()) {
      if (q->home()) continue;  // its member counts it
      ++m.queue_count;
      m.consumers += q->consumers().size();
      m.messages_ready += q->ready();
      m.messages_unacked += q->unacked();
      if (!per_queue) continue;
      m.queues.push_back({vname, qname, q->spec().durable, q->ready(), q->unacked(),
                          q->ready_bytes(), q->consumers().size()});
    }
  }
}

json BrokerImpl::ListQueues(const std::string& vhost) const {
  json out = json::array();
  const Vhost* found = ListedVhost(vhost);
  if (!found) return out;
  const Vhost& v = *found;
  std::map<const Queue*, UnackedStats> unacked;
  std::map<const void*, const Connection*> owners;
  for (const auto& [raw, c] : core_.connections) {
    owners[c->owner()] = c.get();
    c->ForEachChannel([&](const Channel& ch) {
      ch.ForEachUnacked([&](const Queue& q, const Entry& e) {
        UnackedStats& s = unacked[&q];
        s.bytes += e.message->body.size();
        if (q.spec().durable && e.message->persistent()) {
          ++s.persistent;
          s.persistent_bytes += e.message->body.size();
        }
      });
    });
  }
  const std::string node = HolderNode(core_.options.node_name);
  for (const auto& name : SortedKeys(v.queues())) {
    const Queue& q = *v.queues().at(name);
    if (q.home()) continue;  // held by another member, which lists it
    const UnackedStats u = unacked.count(&q) ? unacked.at(&q) : UnackedStats{};
    uint64_t persistent = u.persistent, persistent_bytes = u.persistent_bytes;
    if (q.spec().durable) {
      persistent += q.paged_out_persistent();
      persistent_bytes += q.paged_out_persistent_bytes();
      q.ForEachReadyInMemory([&](const Entry& e) {
        if (!e.message->persistent()) return;
        ++persistent;
        persistent_bytes += e.message->body.size();
      });
    }
    std::string owner_pid, exclusive_pid, exclusive_tag;
    if (auto o = owners.find(q.spec().owner); q.spec().owner && o != owners.end())
      owner_pid = Pid(o->second->serial());
    for (const Consumer* c : q.consumers()) {
      if (!c->exclusive) continue;
      exclusive_pid = Pid(c->channel->serial());
      exclusive_tag = c->tag;
    }
    json head_ts = "";
    if (const Entry* head = q.head(); head && head->message->properties.timestamp)
      head_ts = *head->message->properties.timestamp;
    const uint64_t messages = q.ready() + q.unacked();
    const uint64_t bytes = q.ready_bytes() + u.bytes;
    out.push_back({{"vhost", vhost},
                   {"name", name},
                   {"durable", q.spec().durable},
                   {"auto_delete", q.spec().auto_delete},
                   {"exclusive", q.spec().exclusive},
                   {"arguments", FieldTableToJson(q.spec().args)},
                   {"policy", PolicyName(v, name, policy::ResourceKind::kQueue)},
                   {"pid", Pid(q.serial())},
                   {"owner_pid", owner_pid},
                   {"exclusive_consumer_pid", exclusive_pid},
                   {"exclusive_consumer_tag", exclusive_tag},
                   {"messages_ready", q.ready()},
                   {"messages_unacknowledged", q.unacked()},
                   {"messages", messages},
                   // Past warren.queue_page_above, ready messages are paged out.
                   {"messages_ready_ram", q.ready() - q.paged_out()},
                   {"messages_unacknowledged_ram", q.unacked()},
                   {"messages_ram", messages - q.paged_out()},
                   {"messages_persistent", persistent},
                   {"message_bytes", bytes},
                   {"message_bytes_ready", q.ready_bytes()},
                   {"message_bytes_unacknowledged", u.bytes},
                   {"message_bytes_ram", bytes - q.paged_out_bytes()},
                   {"message_bytes_persistent", persistent_bytes},
                   {"head_message_timestamp", head_ts},
                   {"consumers", q.consumers().size()},
                   {"slave_pids", ""},
                   {"synchronised_slave_pids", ""},
                   {"state", "running"},
                   {"type", "classic"},
                   {"leader", node},
                   {"members", json::array({node})},
                   {"online", json::array({node})}});
  }
  return out;
}

json BrokerImpl::ListExchanges(const std::string& vhost) const {
  json out = json::array();
  const Vhost* found = ListedVhost(vhost);
  if (!found) return out;
  const Vhost& v = *found;
  for (const auto& name : SortedKeys(v.exchanges())) {
    const ExchangeSpec& x = v.exchanges().at(name)->spec();
    out.push_back({{"name", name},
                   {"type", TypeName(x)},
                   {"durable", x.durable},
                   {"auto_delete", x.auto_delete},
                   {"internal", x.internal},
                   {"arguments", FieldTableToJson(x.args)},
                   {"policy", PolicyName(v, name, policy::ResourceKind::kExchange)}});
  }
  return out;
}

json BrokerImpl::ListBindings(const std::string& vhost) const {
  json out = json::array();
  const Vhost* found = ListedVhost(vhost);
  if (!found) return out;
  const Vhost& v = *found;
  auto row = [](const std::string& source, const Destination& d, const std::string& key,
                const amqp::FieldTable& args) {
    return json{{"source_name", source},
                {"source_kind", "exchange"},
                {"destination_name", d.name},
                {"destination_kind", d.exchange ? "exchange" : "queue"},
                {"routing_key", key},
                {"arguments", FieldTableToJson(args)}};
  };
  // Every queue is bound to the default exchange by its name (queues.txt lists these
  // first).
  for (const auto& name : SortedKeys(v.queues()))
    out.push_back(row("", Destination{name, false}, name, {}));
  for (const auto& source : SortedKeys(v.exchanges())) {
    std::vector<const Binding*> bindings;
    for (const Binding& b : v.exchanges().at(source)->bindings()) bindings.push_back(&b);
    std::stable_sort(bindings.begin(), bindings.end(), [](const Binding* a, const Binding* b) {
      return std::tie(a->destination.name, a->key) < std::tie(b->destination.name, b->key);
    });
    for (const Binding* b : bindings) out.push_back(row(source, b->destination, b->key, b->args));
  }
  return out;
}

json BrokerImpl::ListConnections() const {
  std::vector<const Connection*> all;
  for (const auto& [raw, c] : core_.connections) all.push_back(c.get());
  std::sort(all.begin(), all.end(),
            [](const Connection* a, const Connection* b) { return a->serial() < b->serial(); });
  json out = json::array();
  for (const Connection* c : all) {
    out.push_back({{"pid", Pid(c->serial())},
                   {"name", ConnectionName(*c)},
                   {"port", c->local_endpoint().port()},
                   {"host", HostText(c->local_endpoint())},
                   {"peer_port", c->remote_endpoint().port()},
                   {"peer_host", HostText(c->remote_endpoint())},
                   // warren serves AMQP over plain TCP: no TLS details to show.
                   {"ssl", false},
                   {"ssl_protocol", ""},
                   {"ssl_key_exchange", ""},
                   {"ssl_cipher", ""},
                   {"ssl_hash", ""},
                   {"peer_cert_subject", ""},
                   {"peer_cert_issuer", ""},
                   {"peer_cert_validity", ""},
                   {"state", c->state_name()},
                   {"channels", c->channel_count()},
                   {"protocol", "{0,9,1}"},
                   {"auth_mechanism", c->auth_mechanism()},
                   {"user", c->user()},
                   {"vhost", c->vhost_or_null() ? c->vhost_or_null()->name() : ""},
                   {"timeout", c->heartbeat()},
                   {"frame_max", c->frame_max()},
                   {"channel_max", c->channel_max()},
                   {"client_properties", FieldTableToJson(c->client_properties())},
                   {"recv_oct", c->recv_oct()},
                   {"recv_cnt", c->recv_cnt()},
                   {"send_oct", c->send_oct()},
                   {"send_cnt", c->send_cnt()},
                   {"send_pend", c->send_pend()},
                   {"connected_at", c->connected_at()}});
  }
  return out;
}

json BrokerImpl::ListChannels() const {
  json out = json::array();
  for (const auto& [raw, c] : core_.connections) {
    const std::string name = ConnectionName(*c);
    const std::string vhost = c->vhost_or_null() ? c->vhost_or_null()->name() : "";
    c->ForEachChannel([&](const Channel& ch) {
      out.push_back({{"pid", Pid(ch.serial())},
                     {"connection", Pid(c->serial())},
                     {"name", name + " (" + std::to_string(ch.id().get()) + ")"},
                     {"number", ch.id().get()},
                     {"user", c->user()},
                     {"vhost", vhost},
                     {"transactional", ch.transactional()},
                     {"confirm", ch.confirm()},
                     {"consumer_count", ch.consumer_count()},
                     {"messages_unacknowledged", ch.unacked_count()},
                     {"messages_uncommitted", ch.uncommitted_publishes()},
                     {"acks_uncommitted", ch.uncommitted_settles()},
                     {"messages_unconfirmed", ch.unconfirmed()},
                     {"prefetch_count", ch.prefetch_count()},
                     {"global_prefetch_count", ch.global_prefetch_count()},
                     {"serial", ch.serial()}});
    });
  }
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a["serial"] < b["serial"]; });
  for (auto& row : out) row.erase("serial");
  return out;
}

json BrokerImpl::ListConsumers(const std::string& vhost) const {
  json out = json::array();
  const Vhost* found = ListedVhost(vhost);
  if (!found) return out;
  const Vhost& v = *found;
  for (const auto& name : SortedKeys(v.queues())) {
    const Queue& q = *v.queues().at(name);
    for (const Consumer* c : q.consumers()) {
      // With single-active-consumer only the first consumer gets messages.
      const bool sac = q.settings().single_active_consumer;
      const bool active = !sac || c == q.consumers().front();
      out.push_back({{"queue_name", name},
                     {"channel_pid", Pid(c->channel->serial())},
                     {"consumer_tag", c->tag},
                     {"ack_required", !c->no_ack},
                     {"prefetch_count", c->prefetch},
                     {"active", active},
                     {"activity_status", !sac ? "up" : active ? "single_active" : "waiting"},
                     {"arguments", FieldTableToJson(c->args)}});
    }
  }
  return out;
}

std::string BrokerImpl::QueueHolder(const std::string& vhost, const std::string& name) {
  Vhost* v = core_.FindVhost(vhost);
  std::shared_ptr<Queue> q = v ? v->FindQueue(name) : nullptr;
  return q && q->home() ? q->home()->node() : "";
}

Status BrokerImpl::HeldHere(const Queue& q) const {
  if (!q.home()) return Status::OK();
  return Status::Precondition(ResourceName("queue", q.name(), q.vhost_name()) +
                                  " is held by node " + q.home()->node() +
                                  "; run the command against that node (-n " + q.home()->node() + ")",
                              "queue");
}

Result<size_t> BrokerImpl::PurgeQueue(const std::string& vhost, const std::string& name) {
  Vhost* v = core_.FindVhost(vhost);
  std::shared_ptr<Queue> q = v ? v->FindQueue(name) : nullptr;
  // rabbitmqctl purge_queue prints the bare reason (queues.txt).
  if (!q) return Status::NotFound("not_found", "queue");
  WARREN_TRY(HeldHere(*q));
  return q->Purge();
}

Result<size_t> BrokerImpl::DeleteQueue(const std::string& vhost, const std::string& name,
                                       bool if_unused, bool if_empty) {
  Vhost* v = core_.FindVhost(vhost);
  std::shared_ptr<Queue> q = v ? v->FindQueue(name) : nullptr;
  // rabbitmqctl delete_queue's words (queues.txt).
  if (!q) return Status::NotFound("Queue not found", "queue");
  WARREN_TRY(HeldHere(*q));
  if (if_unused && !q->consumers().empty()) return Status::Precondition("Queue is in use", "in_use");
  if (if_empty && q->ready() > 0) return Status::Precondition("Queue is not empty", "not_empty");
  // The operator acts with the owner's authority, so exclusive queues can go too.
  Vhost::OperatorChange change(*v, Poster());
  Result<size_t> dropped = v->DeleteQueue(name, if_unused, if_empty, q->spec().owner);
  if (!dropped.ok()) return AdminError(dropped.status());
  WARREN_TRY(AdminError(change.Wait()));
  return *dropped;
}

Status BrokerImpl::CloseConnection(const std::string& name, const std::string& explanation) {
  for (auto& [raw, c] : core_.connections) {
    if (ConnectionName(*c) != name && Pid(c->serial()) != name) continue;
    std::shared_ptr<Connection> keep = c;
    keep->CloseWith(amqp::kConnectionForced, ForcedClosureText(explanation));
    return Status::OK();
  }
  return Status::NotFound("no connection named '" + name + "'", "connection");
}

size_t BrokerImpl::CloseAllConnections(const std::string& vhost, size_t limit, uint32_t delay_ms,
                                       const std::string& explanation) {
  std::vector<std::shared_ptr<Connection>> chosen;
  for (auto& [raw, c] : core_.connections) {
    if (!vhost.empty() && (!c->vhost_or_null() || c->vhost_or_null()->name() != vhost)) continue;
    chosen.push_back(c);
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const auto& a, const auto& b) { return a->serial() < b->serial(); });
  if (limit > 0 && chosen.size() > limit) chosen.resize(limit);
  const std::string text = ForcedClosureText(explanation);
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (delay_ms == 0 || i == 0) {
      chosen[i]->CloseWith(amqp::kConnectionForced, text);
      continue;
    }
    // --per-connection-delay: later closes wait on the engine's own timer, never block it.
    auto timer = std::make_shared<asio::steady_timer>(core_.io);
    timer->expires_after(std::chrono::milliseconds(uint64_t(delay_ms) * i));
    timer->async_wait([timer, weak = std::weak_ptr<Connection>(chosen[i]), text](std::error_code ec) {
      if (auto c = weak.lock(); c && !ec) c->CloseWith(amqp::kConnectionForced, text);
    });
  }
  return chosen.size();
}

Status BrokerImpl::DeclareQueue(const std::string& vhost, const std::string& name, bool durable,
                                bool auto_delete, const json& arguments) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  WARREN_ASSIGN_OR_RETURN(amqp::FieldTable args, FieldTableFromJson(arguments));
  if (name.rfind("amq.", 0) == 0 && !v->FindQueue(name))
    return Status::AccessRefused("queue name '" + name + "' contains reserved prefix 'amq.*'");
  QueueSpec spec{name, durable, false, auto_delete, std::move(args), nullptr};
  Vhost::OperatorChange change(*v, Poster());
  return AdminError(change.Make([&](Vhost::Committed then) {
    Vhost::QueueCommitted settled;
    if (then) settled = [then](const Result<std::shared_ptr<Queue>>& q) { then(q.status()); };
    return v->DeclareQueue(std::move(spec), false, std::move(settled)).status();
  }));
}

Status BrokerImpl::DeclareExchange(const std::string& vhost, const std::string& name,
                                   const std::string& type, bool durable, bool auto_delete,
                                   bool internal, const json& arguments) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  WARREN_ASSIGN_OR_RETURN(amqp::FieldTable args, FieldTableFromJson(arguments));
  ExchangeSpec spec{name, ExchangeType::kDirect, durable, auto_delete, internal, std::move(args)};
  if (!v->SetExchangeType(spec, type))
    return Status::BadInput("unknown exchange type '" + type + "'");
  if (name.empty()) return Status::AccessRefused("operation not permitted on the default exchange");
  Vhost::OperatorChange change(*v, Poster());
  return AdminError(change.Make(
      [&](Vhost::Committed then) { return v->DeclareExchange(spec, false, std::move(then)); }));
}

Status BrokerImpl::DeleteExchange(const std::string& vhost, const std::string& name,
                                  bool if_unused) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  if (!v->FindExchange(name))
    return Status::NotFound("no " + ResourceName("exchange", name, vhost), "exchange");
  Vhost::OperatorChange change(*v, Poster());
  WARREN_TRY(AdminError(v->DeleteExchange(name, if_unused)));
  return AdminError(change.Wait());
}

Status BrokerImpl::Bind(const std::string& vhost, const std::string& source,
                        const std::string& destination, bool destination_is_exchange,
                        const std::string& routing_key, const json& arguments, bool unbind) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  WARREN_ASSIGN_OR_RETURN(amqp::FieldTable args, FieldTableFromJson(arguments));
  const Destination d{destination, destination_is_exchange};
  Vhost::OperatorChange change(*v, Poster());
  if (unbind) {  // a deletion: the scope hears of its commit (DeletionAnswer)
    WARREN_TRY(AdminError(v->Unbind(source, d, routing_key, args)));
    return AdminError(change.Wait());
  }
  return AdminError(change.Make([&](Vhost::Committed then) {
    return v->Bind(source, d, routing_key, args, std::move(then));
  }));
}

Result<size_t> BrokerImpl::Publish(const std::string& vhost, const std::string& exchange,
                                   const std::string& routing_key, const json& properties,
                                   std::string payload) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  Exchange* x = v->FindExchange(exchange);
  if (!x) return Status::NotFound("no " + ResourceName("exchange", exchange, vhost), "exchange");
  auto msg = std::make_shared<Message>();
  msg->exchange = exchange;
  msg->routing_key = routing_key;
  WARREN_ASSIGN_OR_RETURN(msg->properties, PropertiesFromJson(properties));
  msg->body = std::move(payload);
  WARREN_TRY(msg->properties.Encode(msg->encoded_properties));
  ++core_.counters.messages_received;
  std::vector<Queue*> targets;
  v->Route(*x, *msg, targets);
  if (targets.empty()) {
    ++core_.counters.messages_unroutable_dropped;
    return size_t(0);
  }
  ++core_.counters.messages_routed;
  const int64_t now = Core::NowMs();
  for (Queue* q : targets) (void)q->Enqueue(msg, now);
  return targets.size();
}

Result<json> BrokerImpl::Get(const std::string& vhost, const std::string& queue, size_t count,
                             bool requeue) {
  WARREN_ASSIGN_OR_RETURN(Vhost * v, AdminVhost(vhost));
  std::shared_ptr<Queue> q = v->FindQueue(queue);
  if (!q) return Status::NotFound("no " + ResourceName("queue", queue, vhost), "queue");
  WARREN_TRY(HeldHere(*q));
  json out = json::array();
  std::vector<Entry> taken;
  for (size_t i = 0; i < count; ++i) {
    std::optional<Entry> e = q->Get(Core::NowMs());
    if (!e) break;
    const Message& m = *e->message;
    out.push_back({{"payload", m.body},
                   {"payload_bytes", m.body.size()},
                   {"redelivered", e->redelivered},
                   {"exchange", m.exchange},
                   {"routing_key", m.routing_key},
                   {"message_count", q->ready()},
                   {"properties", PropertiesToJson(m.properties)}});
    ++core_.counters.messages_delivered;
    taken.push_back(std::move(*e));
  }
  // Requeued after the loop, so one call never returns the same message twice.
  for (Entry& e : taken) {
    if (requeue) q->Requeue(std::move(e));
    else q->Settle(std::move(e), false);
  }
  if (requeue) q->Drain(Core::NowMs());
  return out;
}

}  // namespace warren::broker
