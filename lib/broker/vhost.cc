#include "broker/vhost.h"

#include <algorithm>
#include <chrono>

#include "amqp/spec.h"

namespace warren::broker {
namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

Status Inequivalent(const char* kind, const std::string& name, const std::string& vhost,
                    const std::string& arg, const std::string& received,
                    const std::string& current) {
  return Refuse(amqp::kPreconditionFailed, "inequivalent arg '" + arg + "' for " +
                                               ResourceName(kind, name, vhost) + ": received " +
                                               received + " but current is " + current);
}

// "the value '100' of type 'signedint'", or "none", as RabbitMQ describes an argument.
std::string DescribeArg(const amqp::FieldValue* v) {
  if (!v) return "none";
  std::string text;
  if (auto i = FieldInt(*v)) text = std::to_string(*i);
  else if (const auto* s = std::get_if<std::string>(&v->value)) text = *s;
  else if (const auto* b = std::get_if<bool>(&v->value)) text = Bool(*b);
  else text = std::string(1, v->tag());
  return "the value '" + text + "' of type '" + FieldTypeName(*v) + "'";
}

bool SameArg(const amqp::FieldValue* a, const amqp::FieldValue* b) {
  if (!a || !b) return a == b;
  auto ia = FieldInt(*a), ib = FieldInt(*b);
  if (ia && ib) return *ia == *ib;
  return *a == *b;
}

// The queue arguments RabbitMQ compares on redeclaration.
constexpr const char* kEquivalentQueueArgs[] = {
    "x-expires",          "x-message-ttl", "x-dead-letter-exchange", "x-dead-letter-routing-key",
    "x-max-length",       "x-max-length-bytes", "x-max-priority",    "x-overflow",
    "x-queue-mode",       "x-single-active-consumer", "x-queue-type"};


void AddStringArray(amqp::FieldArray& out, const amqp::FieldValue* v) {
  if (!v) return;
  if (const auto* a = std::get_if<amqp::FieldArray>(&v->value))
    for (const auto& x : *a)
      if (std::holds_alternative<std::string>(x.value)) out.push_back(x);
}

}  // namespace

Vhost::Vhost(std::string name, std::function<int64_t()> now)
    : name_(std::move(name)), now_(std::move(now)) {
  struct Builtin {
    const char* name;
    ExchangeType type;
    bool internal;
  };
  for (const Builtin& b : {Builtin{"", ExchangeType::kDirect, false},
                           Builtin{"amq.direct", ExchangeType::kDirect, false},
                           Builtin{"amq.fanout", ExchangeType::kFanout, false},
                           Builtin{"amq.topic", ExchangeType::kTopic, false},
                           Builtin{"amq.headers", ExchangeType::kHeaders, false},
                           Builtin{"amq.match", ExchangeType::kHeaders, false},
                           Builtin{"amq.rabbitmq.trace", ExchangeType::kTopic, true}}) {
    exchanges_[b.name] =
        std::make_unique<Exchange>(ExchangeSpec{b.name, b.type, true, false, b.internal, {}});
  }
}

Vhost::~Vhost() = default;

Exchange* Vhost::FindExchange(const std::string& name) {
  auto it = exchanges_.find(name);
  return it == exchanges_.end() ? nullptr : it->second.get();
}

std::shared_ptr<Queue> Vhost::FindQueue(const std::string& name) {
  auto it = queues_.find(name);
  // A queue another member declared a moment ago may be in the metadata before the
  // engine has looked (MetadataChanged runs later): its stand-in is made now.
  return it == queues_.end() ? StandIn(name) : it->second;
}

bool Vhost::SetExchangeType(ExchangeSpec& spec, const std::string& type) const {
  if (auto builtin = ParseExchangeType(type)) {
    spec.type = *builtin;
    return true;
  }
  auto custom = exchange_types_ ? exchange_types_(type) : nullptr;
  if (!custom) return false;
  spec.type = ExchangeType::kCustom;
  spec.custom_name = type;
  spec.custom = std::move(custom);
  return true;
}

Status Vhost::DeclareExchange(const ExchangeSpec& spec, bool passive, Committed then) {
  Exchange* x = FindExchange(spec.name);
  if (passive) {
    if (!x) return Refuse(amqp::kNotFound, "no " + ResourceName("exchange", spec.name, name_));
    if (then) then(Status::OK());
    return Status::OK();
  }
  if (!x) {
    if (ReservedName(spec.name))
      return Refuse(amqp::kAccessRefused, "exchange name '" + spec.name +
                                              "' contains reserved prefix 'amq.*'");
    exchanges_[spec.name] = std::make_unique<Exchange>(spec);
    exchanges_[spec.name]->incarnation = ++incarnations_;
    if (then) return DeclareExchangeAsync(spec, std::move(then));
    if (Status s = PersistExchange(*exchanges_[spec.name], true); !s.ok()) {
      exchanges_.erase(spec.name);
      return s;
    }
    Emit(plugin::EventKind::kExchangeCreated, spec.name);
    return Status::OK();
  }
  const ExchangeSpec& cur = x->spec();
  auto inequivalent = [&](const char* arg, const std::string& got, const std::string& have) {
    return Inequivalent("exchange", spec.name, name_, arg, "'" + got + "'", "'" + have + "'");
  };
  if (TypeName(cur) != TypeName(spec)) return inequivalent("type", TypeName(spec), TypeName(cur));
  if (cur.durable != spec.durable) return inequivalent("durable", Bool(spec.durable), Bool(cur.durable));
  if (cur.auto_delete != spec.auto_delete)
    return inequivalent("auto_delete", Bool(spec.auto_delete), Bool(cur.auto_delete));
  if (cur.internal != spec.internal)
    return inequivalent("internal", Bool(spec.internal), Bool(cur.internal));
  const auto *got = spec.args.Find("alternate-exchange"), *have = cur.args.Find("alternate-exchange");
  if (!SameArg(got, have))
    return Inequivalent("exchange", spec.name, name_, "alternate-exchange", DescribeArg(got),
                        DescribeArg(have));
  if (then) then(Status::OK());
  return Status::OK();
}

Status Vhost::DeclareExchangeAsync(const ExchangeSpec& spec, Committed then) {
  Exchange& x = *exchanges_[spec.name];
  return PersistExchange(x, true, [this, name = spec.name, incarnation = x.incarnation,
                                   then = std::move(then)](Status s) {
    Exchange* now = FindExchange(name);
    const bool same = now && now->incarnation == incarnation;
    if (s.ok() && same) Emit(plugin::EventKind::kExchangeCreated, name);
    if (!s.ok() && same) DropExchange(name, false, false);
    then(s);
  });
}

Status Vhost::DeleteExchange(const std::string& name, bool if_unused) {
  if (name.empty() || ReservedName(name))
    return Refuse(amqp::kAccessRefused, "operation not permitted on the default exchange");
  Exchange* x = FindExchange(name);
  if (!x) return Status::OK();
  if (if_unused && !x->bindings().empty())
    return Refuse(amqp::kPreconditionFailed, ResourceName("exchange", name, name_) + " in use");
  DropExchange(name, true);
  return Status::OK();
}

void Vhost::DropExchange(const std::string& name, bool persist, bool announce) {
  Exchange* x = FindExchange(name);
  if (!x) return;
  const Destination self{name, true};
  std::vector<std::string> sources;
  for (auto& [n, other] : exchanges_)
    if (other->RemoveDestination(self)) sources.push_back(n);
  if (persist) (void)PersistExchange(*x, false);
  exchanges_.erase(name);
  if (announce) Emit(plugin::EventKind::kExchangeDeleted, name);
  for (const auto& s : sources) MaybeAutoDeleteExchange(s);
}

void Vhost::MaybeAutoDeleteExchange(const std::string& name) {
  Exchange* x = FindExchange(name);
  if (x && x->spec().auto_delete && x->bindings().empty()) (void)DeleteExchange(name, false);
}

std::shared_ptr<Queue> Vhost::StandIn(const std::string& name) {
  const meta::Queue* record = queue_record_ ? queue_record_(name) : nullptr;
  if (!record || record->node.empty() || record->node == local_node_ || !home_of_ ||
      dropped_.count(name))
    return nullptr;
  return MakeStandIn(*record);
}

Result<std::shared_ptr<Queue>> Vhost::DeclareQueue(QueueSpec spec, bool passive,
                                                   QueueCommitted then) {
  auto existing = FindQueue(spec.name);
  if (existing) {
    const QueueSpec& cur = existing->spec();
    if (cur.exclusive && cur.owner != spec.owner) {
      return Locked(spec.name);
    }
    existing->touch(now_());
    if (passive) {
      if (then) then(existing);
      return existing;
    }
    auto inequivalent = [&](const char* arg, bool got, bool have) {
      return Inequivalent("queue", spec.name, name_, arg, "'" + Bool(got) + "'",
                          "'" + Bool(have) + "'");
    };
    if (cur.durable != spec.durable) return inequivalent("durable", spec.durable, cur.durable);
    if (cur.exclusive != spec.exclusive)
      return inequivalent("exclusive", spec.exclusive, cur.exclusive);
    if (cur.auto_delete != spec.auto_delete)
      return inequivalent("auto_delete", spec.auto_delete, cur.auto_delete);
    for (const char* arg : kEquivalentQueueArgs) {
      const auto *got = spec.args.Find(arg), *have = cur.args.Find(arg);
      if (!SameArg(got, have))
        return Inequivalent("queue", spec.name, name_, arg, DescribeArg(got), DescribeArg(have));
    }
    if (then) then(existing);
    return existing;
  }
  if (passive) return Refuse(amqp::kNotFound, "no " + ResourceName("queue", spec.name, name_));
  WARREN_TRY(ValidateQueueArgs(spec.args, spec.name, name_));
  if (auto limit = queue_limit_ ? queue_limit_() : std::nullopt; limit && int64_t(queues_.size()) >= *limit)
    return Refuse(amqp::kPreconditionFailed, "cannot declare queue '" + spec.name +
                                                 "': queue limit in vhost '" + name_ + "' (" +
                                                 std::to_string(*limit) + ") is reached");
  if (!spec.exclusive) spec.owner = nullptr;  // only an exclusive queue has an owner
  QueueSettings settings = ResolveQueueSettings(spec.args, QueuePolicy(spec.name));
  const std::string queue_name = spec.name;
  auto q = std::make_shared<Queue>(*this, std::move(spec), std::move(settings), now_());
  queues_[queue_name] = q;
  if (then) {
    DeclareQueueAsync(q, std::move(then));
    return q;
  }
  if (Status s = PersistQueue(*q, true); !s.ok()) {
    queues_.erase(queue_name);
    // Another member made it a moment before: that one is the queue.
    if (s.kind() == ErrorKind::kAlreadyExists)
      if (auto held = StandIn(queue_name)) return held;
    return s;
  }
  Emit(plugin::EventKind::kQueueCreated, queue_name);
  // Every queue is bound to the default exchange by its name; that binding is implicit.
  return q;
}

void Vhost::DeclareQueueAsync(const std::shared_ptr<Queue>& q, QueueCommitted then) {
  (void)PersistQueue(*q, true, [this, weak = std::weak_ptr<Queue>(q), name = q->name(),
                          then = std::move(then)](Status s) {
    std::shared_ptr<Queue> made = weak.lock();
    auto it = queues_.find(name);
    const bool same = made && it != queues_.end() && it->second == made;
    if (s.ok()) {
      if (same) Emit(plugin::EventKind::kQueueCreated, name);
      if (made) return then(made);
      return then(Refuse(amqp::kNotFound, "no " + ResourceName("queue", name, name_)));
    }
    if (same) RemoveQueue(name, false, false);
    // Another member made it a moment before: that one is the queue.
    if (s.kind() == ErrorKind::kAlreadyExists)
      if (auto held = StandIn(name)) return then(held);
    then(s.kind() == ErrorKind::kAlreadyExists
             ? Refuse(amqp::kInternalError, "cannot record " + ResourceName("queue", name, name_) +
                                                ": " + s.message())
             : s);
  });
}

Status Vhost::Locked(const std::string& queue) const {
  return Refuse(amqp::kResourceLocked,
                "cannot obtain exclusive access to locked " + ResourceName("queue", queue, name_) +
                    ". It could be originally declared on another connection or the exclusive "
                    "property value does not match that of the original declaration.");
}

Result<Queue*> Vhost::UsableQueue(const std::string& name, const void* owner) {
  auto q = FindQueue(name);
  if (!q) return Refuse(amqp::kNotFound, "no " + ResourceName("queue", name, name_));
  if (q->spec().exclusive && q->spec().owner != owner) {
    return Locked(name);
  }
  return q.get();
}

void Vhost::ConsumerLeft(Queue& q, Consumer* c) {
  if (q.deleted()) return;
  if (q.RemoveConsumer(c)) (void)DeleteQueue(q.name(), false, false, q.spec().owner);
  else q.Drain(now_());
}

Result<size_t> Vhost::DeleteQueue(const std::string& name, bool if_unused, bool if_empty,
                                  const void* owner) {
  if (!FindQueue(name)) return size_t(0);
  WARREN_ASSIGN_OR_RETURN(Queue * q, UsableQueue(name, owner));
  if (if_unused && !q->consumers().empty())
    return Refuse(amqp::kPreconditionFailed, ResourceName("queue", name, name_) + " in use");
  if (if_empty && q->ready() > 0)
    return Refuse(amqp::kPreconditionFailed, ResourceName("queue", name, name_) + " is not empty");
  const size_t n = q->ready();
  RemoveQueue(name);
  return n;
}

void Vhost::RemoveQueue(const std::string& name, bool persist, bool announce) {
  auto it = queues_.find(name);
  if (it == queues_.end()) return;
  std::shared_ptr<Queue> q = it->second;
  queues_.erase(it);
  if (persist) (void)PersistQueue(*q, false);
  if (announce) Emit(plugin::EventKind::kQueueDeleted, name);
  q->mark_deleted();
  // Consumers are told (basic.cancel) and detached; unacked deliveries stay with their
  // channels and are dropped when settled.
  std::vector<Consumer*> consumers = q->consumers();
  for (Consumer* c : consumers) {
    q->RemoveConsumer(c);
    if (consumer_gone_) consumer_gone_(*c);
  }
  q->Purge();
  const Destination d{name, false};
  std::vector<std::string> sources;
  for (auto& [n, x] : exchanges_)
    if (x->RemoveDestination(d)) sources.push_back(n);
  for (const auto& s : sources) MaybeAutoDeleteExchange(s);
}

Result<Exchange*> Vhost::BindingEnds(const std::string& source, const Destination& destination) {
  Exchange* x = FindExchange(source);
  if (!x) return Refuse(amqp::kNotFound, "no " + ResourceName("exchange", source, name_));
  if (destination.exchange ? !FindExchange(destination.name) : !FindQueue(destination.name)) {
    return Refuse(amqp::kNotFound,
                  "no " + ResourceName(destination.exchange ? "exchange" : "queue",
                                       destination.name, name_));
  }
  return x;
}

Status Vhost::Bind(const std::string& source, const Destination& destination,
                   const std::string& key, const amqp::FieldTable& args, Committed then) {
  if (source.empty())
    return Refuse(amqp::kAccessRefused, "operation not permitted on the default exchange");
  if (destination.exchange && destination.name.empty())
    return Refuse(amqp::kAccessRefused, "operation not permitted on the default exchange");
  WARREN_ASSIGN_OR_RETURN(Exchange * x, BindingEnds(source, destination));
  if (x->spec().type == ExchangeType::kCustom)
    if (std::string why = x->spec().custom->CheckBindingKey(key); !why.empty())
      return Refuse(amqp::kPreconditionFailed, why);
  Binding b{destination, key, args};
  if (!x->Bind(b)) {
    if (then) then(Status::OK());
    return Status::OK();
  }
  if (then) {
    return PersistBinding(*x, b, true, [this, source, b, then = std::move(then)](Status s) {
      if (!s.ok())
        if (Exchange* x = FindExchange(source)) x->Unbind(b);
      then(s);
    });
  }
  if (Status s = PersistBinding(*x, b, true); !s.ok()) {
    x->Unbind(b);
    return s;
  }
  return Status::OK();
}

Status Vhost::Unbind(const std::string& source, const Destination& destination,
                     const std::string& key, const amqp::FieldTable& args) {
  if (source.empty())
    return Refuse(amqp::kAccessRefused, "operation not permitted on the default exchange");
  // Unbinding what is not bound succeeds, as in RabbitMQ 3.x; a missing exchange or
  // queue is NOT_FOUND.
  WARREN_ASSIGN_OR_RETURN(Exchange * x, BindingEnds(source, destination));
  Binding b{destination, key, args};
  if (x->Unbind(b)) {
    (void)PersistBinding(*x, b, false);
    MaybeAutoDeleteExchange(source);
  }
  return Status::OK();
}

void Vhost::RouteFrom(const Exchange& x, const std::string& key, const amqp::FieldTable* headers,
                      std::vector<const Exchange*>& visited, std::vector<Queue*>& out) {
  if (x.name().empty()) {
    auto it = queues_.find(key);
    if (it != queues_.end() && std::find(out.begin(), out.end(), it->second.get()) == out.end())
      out.push_back(it->second.get());
    return;
  }
  if (std::find(visited.begin(), visited.end(), &x) != visited.end()) return;
  visited.push_back(&x);
  const size_t start = scratch_.size();
  x.Route(key, headers, scratch_);
  for (size_t i = start; i < scratch_.size(); ++i) {
    const Destination* d = scratch_[i];
    if (d->exchange) {
      if (Exchange* next = FindExchange(d->name)) RouteFrom(*next, key, headers, visited, out);
    } else {
      auto it = queues_.find(d->name);
      if (it != queues_.end() && std::find(out.begin(), out.end(), it->second.get()) == out.end())
        out.push_back(it->second.get());
    }
  }
  scratch_.resize(start);
}

void Vhost::RouteKey(const Exchange& exchange, const std::string& routing_key,
                     std::vector<Queue*>& out) {
  std::vector<const Exchange*> visited;
  RouteFrom(exchange, routing_key, nullptr, visited, out);
}

void Vhost::Route(const Exchange& exchange, const Message& m, std::vector<Queue*>& out) {
  std::vector<const Exchange*> visited;
  const amqp::FieldTable* headers = m.properties.headers ? &*m.properties.headers : nullptr;
  RouteFrom(exchange, m.routing_key, headers, visited, out);
  if (headers) {
    amqp::FieldArray keys;
    AddStringArray(keys, headers->Find("CC"));
    AddStringArray(keys, headers->Find("BCC"));
    for (const auto& k : keys) {
      visited.clear();
      RouteFrom(exchange, std::get<std::string>(k.value), headers, visited, out);
    }
  }
  if (out.empty()) {
    // The alternate exchange, followed as long as each one routes nothing.
    const Exchange* x = &exchange;
    std::vector<const Exchange*> tried{x};
    while (out.empty()) {
      auto ae = AlternateExchange(*x);
      if (!ae) break;
      Exchange* next = FindExchange(*ae);
      if (!next || std::find(tried.begin(), tried.end(), next) != tried.end()) break;
      tried.push_back(next);
      visited.clear();
      RouteFrom(*next, m.routing_key, headers, visited, out);
      x = next;
    }
  }
}

std::optional<std::string> Vhost::AlternateExchange(const Exchange& x) const {
  if (const auto* v = x.spec().args.Find("alternate-exchange"))
    if (const auto* s = std::get_if<std::string>(&v->value)) return *s;
  if (policies_ && operator_policies_) {
    policy::Resource r{x.name(), policy::ResourceKind::kExchange};
    auto eff = policy::Resolve(r, *policies_, *operator_policies_);
    auto it = eff.definition.find("alternate-exchange");
    if (it != eff.definition.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

std::string Vhost::Locator(const std::string& name, const amqp::FieldTable& args) const {
  if (const auto* v = args.Find("x-queue-master-locator"))
    if (const auto* s = std::get_if<std::string>(&v->value)) return *s;
  const nlohmann::json policy = QueuePolicy(name);
  if (auto it = policy.find("queue-master-locator"); it != policy.end() && it->is_string())
    return it->get<std::string>();
  return "client-local";
}

nlohmann::json Vhost::QueuePolicy(const std::string& name) const {
  if (!policies_ || !operator_policies_) return nlohmann::json::object();
  policy::Resource r{name, policy::ResourceKind::kQueue};
  return policy::Resolve(r, *policies_, *operator_policies_).definition;
}

void Vhost::ApplyPolicies(policy::PolicySet policies, policy::PolicySet operator_policies) {
  policies_ = std::make_unique<policy::PolicySet>(std::move(policies));
  operator_policies_ = std::make_unique<policy::PolicySet>(std::move(operator_policies));
  for (auto& [name, q] : queues_)
    q->set_settings(ResolveQueueSettings(q->spec().args, QueuePolicy(name)));
}

void Vhost::DeadLetter(Queue& queue, Entry entry, const char* reason) {
  queue.Forget(entry);
  const auto& dlx_name = queue.settings().dead_letter_exchange;
  if (!dlx_name) return;
  Exchange* dlx = FindExchange(*dlx_name);
  if (!dlx) return;
  const Message& m = *entry.message;
  amqp::BasicProperties props = m.properties;
  amqp::FieldTable headers = props.headers.value_or(amqp::FieldTable{});

  amqp::FieldArray routing_keys{amqp::FieldValue(m.routing_key)};
  AddStringArray(routing_keys, headers.Find("CC"));
  amqp::FieldTable death;
  death.Set("count", amqp::FieldValue(int64_t(1)));
  death.Set("reason", amqp::FieldValue(std::string(reason)));
  death.Set("queue", amqp::FieldValue(queue.name()));
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  death.Set("time", amqp::FieldValue(amqp::Timestamp{uint64_t(secs)}));
  death.Set("exchange", amqp::FieldValue(m.exchange));
  death.Set("routing-keys", amqp::FieldValue(routing_keys));
  if (props.expiration) {
    death.Set("original-expiration", amqp::FieldValue(*props.expiration));
    props.expiration.reset();
  }
  // x-death: one entry per (queue, reason), the latest first, with a count.
  amqp::FieldArray deaths;
  if (const auto* v = headers.Find("x-death"))
    if (const auto* a = std::get_if<amqp::FieldArray>(&v->value)) deaths = *a;
  for (auto it = deaths.begin(); it != deaths.end(); ++it) {
    const auto* t = std::get_if<amqp::FieldTable>(&it->value);
    if (!t) continue;
    const auto *q = t->Find("queue"), *r = t->Find("reason");
    if (q && r && *q == amqp::FieldValue(queue.name()) && *r == amqp::FieldValue(std::string(reason))) {
      const auto* c = t->Find("count");
      death.Set("count", amqp::FieldValue(int64_t((c ? FieldInt(*c).value_or(0) : 0) + 1)));
      deaths.erase(it);
      break;
    }
  }
  deaths.insert(deaths.begin(), amqp::FieldValue(death));
  headers.Set("x-death", amqp::FieldValue(deaths));
  if (!headers.Find("x-first-death-reason")) {
    headers.Set("x-first-death-reason", amqp::FieldValue(std::string(reason)));
    headers.Set("x-first-death-queue", amqp::FieldValue(queue.name()));
    headers.Set("x-first-death-exchange", amqp::FieldValue(m.exchange));
  }
  props.headers = std::move(headers);

  auto copy = WithProperties(m, std::move(props));
  if (!copy.ok()) return;
  auto dead = std::make_shared<Message>(**copy);
  dead->exchange = *dlx_name;
  if (const auto& k = queue.settings().dead_letter_routing_key) dead->routing_key = *k;

  std::vector<Queue*> targets;
  Route(*dlx, *dead, targets);
  const int64_t now = now_();
  for (Queue* t : targets) {
    // A message expiring round a cycle of queues would circle for ever: dropped, as
    // RabbitMQ drops it, unless a consumer rejected it.
    if (t == &queue && std::string_view(reason) != "rejected") continue;
    t->Enqueue(dead, now);
  }
}

void Vhost::OwnerGone(const void* owner) {
  std::vector<std::string> doomed;
  for (auto& [name, q] : queues_)
    if (q->spec().exclusive && q->spec().owner == owner) doomed.push_back(name);
  for (const auto& n : doomed) RemoveQueue(n);
}

void Vhost::Tick(int64_t now_ms) {
  std::vector<std::string> expired;
  for (auto& [name, q] : queues_) {
    if (q->home()) continue;  // its member expires it
    q->ExpireHead(now_ms);
    const auto& exp = q->settings().expires;
    if (exp && q->consumers().empty() && now_ms - q->last_used() >= *exp) expired.push_back(name);
  }
  for (const auto& n : expired) RemoveQueue(n);
}

}  // namespace warren::broker
