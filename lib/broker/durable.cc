// What survives a restart: durable exchanges, queues and bindings in the metadata store
// (DESIGN decision 4), persistent messages of durable queues in the message store
// (decision 6). Exclusive queues never persist: they die with their connection.
#include <cerrno>
#include <set>
#include <cstring>

#include "amqp/codec_error.h"
#include "base/log.h"
#include "broker/connection.h"
#include "broker/core.h"
#include "broker/field_json.h"
#include "broker/home_session.h"
#include "broker/remote_home.h"
#include "broker/vhost.h"
#include "meta/view.h"

namespace warren::broker {
namespace {

using json = nlohmann::json;

bool DurableQueue(const Queue& q) { return q.spec().durable && !q.spec().exclusive; }

Status Written(const Status& s, const std::string& what) {
  if (s.ok() || s.kind() == ErrorKind::kNotFound) return Status::OK();
  log::Error("cannot record " + what + " in the metadata store: " + s.message());
  return Refuse(amqp::kInternalError, "cannot record " + what + ": " + s.message());
}

}  // namespace

std::string QueueStoreKey(const std::string& vhost, const std::string& queue) {
  return vhost + '\0' + queue;
}

void Vhost::CommitAsync(json c, std::string what, std::string key, Committed then,
                        bool keep_exists) {
  if (!persist_async_) {  // nothing to wait for without a store that could make us
    Status s = persist_(c);
    if (!(keep_exists && s.kind() == ErrorKind::kAlreadyExists)) s = Written(s, what);
    if (then) then(s);
    return;
  }
  ++pending_[key];
  persist_async_(std::move(c), [this, alive = std::weak_ptr<bool>(alive_), what = std::move(what),
                                key = std::move(key), then = std::move(then), keep_exists](Status s) {
    if (alive.expired()) return;
    if (auto it = pending_.find(key); it != pending_.end() && --it->second == 0) pending_.erase(it);
    if (!(keep_exists && s.kind() == ErrorKind::kAlreadyExists)) s = Written(s, what);
    if (then) then(s);
  });
}

Status Vhost::Commit(json c, std::string what, std::string key, bool removal, Committed then,
                     bool keep_exists) {
  if (!then && removal) then = DeletionAnswer();
  if (then) {
    CommitAsync(std::move(c), std::move(what), std::move(key), std::move(then), keep_exists);
    return Status::OK();
  }
  Status s = persist_(c);
  if (keep_exists && s.kind() == ErrorKind::kAlreadyExists) return s;
  return Written(s, what);
}

Status Vhost::NothingToRecord(const Committed& then) {
  if (then) then(Status::OK());
  return Status::OK();
}

Status Vhost::PersistExchange(const Exchange& x, bool declare, Committed then) {
  const ExchangeSpec& s = x.spec();
  if (!persist_) return NothingToRecord(then);
  json c = {{"op", declare ? "exchange.declare" : "exchange.delete"}, {"vhost", name_},
            {"name", s.name}};
  // A non-durable exchange is recorded for the other members of a cluster only, with
  // the member that declared it (it goes when that member restarts).
  if (!s.durable) {
    c[kTransient] = true;
    if (declare) c["node"] = local_node_;
  }
  if (declare) {
    c["type"] = TypeName(s);
    c["durable"] = s.durable;
    c["auto_delete"] = s.auto_delete;
    c["internal"] = s.internal;
    c["arguments"] = FieldTableToJson(s.args);
  }
  return Commit(std::move(c), ResourceName("exchange", s.name, name_), "x" + s.name, !declare,
                std::move(then));
}

Status Vhost::PersistQueue(Queue& q, bool declare, Committed then) {
  // A stand-in's member records it.
  if (q.home() || !persist_) return NothingToRecord(then);
  if (DurableQueue(q) && messages_) {
    if (declare) q.set_store(messages_, QueueStoreKey(name_, q.name()));
    else messages_->RemoveQueue(QueueStoreKey(name_, q.name()));
  }
  json c = {{"op", declare ? "queue.declare" : "queue.delete"}, {"vhost", name_}, {"name", q.name()}};
  // A non-durable or exclusive queue is recorded only so that the other members of a
  // cluster (or shards of a node) know it (kTransient): a node alone writes nothing,
  // and it goes when its holder restarts.
  if (!q.spec().durable || q.spec().exclusive) c[kTransient] = true;
  if (declare) {
    if (q.spec().exclusive) c["exclusive"] = true;
    c["durable"] = q.spec().durable;
    c["auto_delete"] = q.spec().auto_delete;
    c["arguments"] = FieldTableToJson(q.spec().args);
  }
  // AlreadyExists goes back as it is: DeclareQueue takes the other member's queue.
  return Commit(std::move(c), ResourceName("queue", q.name(), name_), "q" + q.name(), !declare,
                std::move(then), /*keep_exists=*/true);
}

Vhost::Recorded Vhost::RecordedDestination(const Destination& d) {
  if (d.exchange) {
    const Exchange* x = FindExchange(d.name);
    if (!x) return Recorded::kNo;
    return x->spec().durable ? Recorded::kDurable : Recorded::kTransient;
  }
  auto q = FindQueue(d.name);
  if (!q) return Recorded::kNo;
  return q->spec().durable && !q->spec().exclusive ? Recorded::kDurable : Recorded::kTransient;
}

Status Vhost::PersistBinding(const Exchange& source, const Binding& b, bool add, Committed then) {
  // As in RabbitMQ, a binding persists when both its ends do; one with a non-durable
  // end is recorded for the other members of a cluster only.
  Recorded r = RecordedDestination(b.destination);
  if (!persist_ || r == Recorded::kNo) return NothingToRecord(then);
  if (!source.spec().durable) r = Recorded::kTransient;
  json c = {{"op", add ? "binding.add" : "binding.delete"},
            {"vhost", name_},
            {"source", source.name()},
            {"destination", b.destination.name},
            {"destination_type", b.destination.exchange ? "exchange" : "queue"},
            {"routing_key", b.key},
            {"arguments", FieldTableToJson(b.args)}};
  if (r == Recorded::kTransient) c[kTransient] = true;
  return Commit(std::move(c), "a binding from " + ResourceName("exchange", source.name(), name_),
                "b" + source.name(), !add, std::move(then));
}

std::shared_ptr<Queue> Vhost::MakeStandIn(const meta::Queue& record) {
  auto args = FieldTableFromJson(record.arguments);
  if (!args.ok()) return nullptr;
  // An exclusive queue's stand-in has no owner here: only publishing reaches it.
  QueueSpec spec{record.name, record.durable, record.exclusive, record.auto_delete,
                 std::move(args).value(), nullptr};
  QueueSettings settings = ResolveQueueSettings(spec.args, QueuePolicy(record.name));
  auto q = std::make_shared<Queue>(*this, std::move(spec), std::move(settings), now_());
  q->set_home(home_of_(record.node));
  queues_[record.name] = q;
  return q;
}

void Vhost::DropStandIn(const std::string& name) {
  auto it = queues_.find(name);
  if (it == queues_.end() || !it->second->home()) return;
  RemoveQueue(name, false);
  dropped_.insert(name);
}

void Vhost::Prune(const meta::State& state) {
  // Only entities the metadata would hold: durable exchanges (not the amq.* ones every
  // node declares), stand-ins, and bindings between durable ends.
  // Non-durable exchanges and bindings are recorded only in a cluster.
  const bool transient_recorded = replicated_ && replicated_();
  std::vector<std::string> gone;
  for (const auto& [name, x] : exchanges_)
    if ((x->spec().durable || transient_recorded) && !name.empty() && !ReservedName(name) &&
        !state.exchanges().count({name_, name}) && !Pending('x', name))
      gone.push_back(name);
  for (const auto& name : gone) DropExchange(name, false);
  gone.clear();
  for (const auto& [name, q] : queues_) {
    auto it = state.queues().find({name_, name});
    if (!q->home()) {
      // This member's non-durable queue, deleted by the cluster while this member was
      // taken for down (cut off longer than net_ticktime): it goes here too.
      if (transient_recorded && !q->spec().durable && !q->spec().exclusive &&
          it == state.queues().end() && !Pending('q', name))
        gone.push_back(name);
      continue;
    }
    if (it == state.queues().end() || it->second.node != q->home()->node()) gone.push_back(name);
  }
  for (const auto& name : gone) RemoveQueue(name, false);
  for (auto& [name, x] : exchanges_) {
    if ((!x->spec().durable && !transient_recorded) || name.empty() || ReservedName(name) ||
        Pending('b', name))
      continue;
    std::vector<Binding> unbound;
    for (const Binding& b : x->bindings()) {
      const Recorded r = RecordedDestination(b.destination);
      if (r == Recorded::kNo || ((r == Recorded::kTransient || !x->spec().durable) &&
                                 !transient_recorded))
        continue;
      meta::Binding m{name_, name, b.destination.name, b.destination.exchange ? "exchange" : "queue",
                      b.key, FieldTableToJson(b.args)};
      if (!state.bindings().count(meta::KeyOf(m))) unbound.push_back(b);
    }
    for (const Binding& b : unbound) x->Unbind(b);
  }
}

void Vhost::Restore(const meta::State& state) {
  const int64_t now = now_();
  if (persist_) Prune(state);
  std::erase_if(dropped_, [&](const std::string& n) { return !state.queues().count({name_, n}); });
  std::vector<std::string> stale_exchanges;
  for (const auto& [key, e] : state.exchanges()) {
    if (key.first != name_ || FindExchange(e.name) || Pending('x', e.name)) continue;
    if (!e.durable && e.node == local_node_) {
      // This node's non-durable exchange from before it restarted.
      stale_exchanges.push_back(e.name);
      continue;
    }
    auto args = FieldTableFromJson(e.arguments);
    ExchangeSpec spec{e.name, ExchangeType::kDirect, e.durable, e.auto_delete, e.internal};
    if (!SetExchangeType(spec, e.type) || !args.ok()) {
      log::Warning("not restoring " + ResourceName("exchange", e.name, name_) + ": type '" +
                   e.type + "' (is its plugin enabled?) or its arguments are not usable");
      continue;
    }
    spec.args = std::move(args).value();
    exchanges_[e.name] = std::make_unique<Exchange>(std::move(spec));
  }
  std::vector<std::string> stale;
  for (const auto& [key, q] : state.queues()) {
    if (key.first != name_ || FindQueue(q.name) || Pending('q', q.name)) continue;
    if (!q.node.empty() && q.node != local_node_) {
      if (home_of_ && !dropped_.count(q.name)) MakeStandIn(q);
      continue;
    }
    if (!q.durable || q.exclusive) {
      // This node's non-durable queue from before it restarted: gone with the restart.
      stale.push_back(q.name);
      continue;
    }
    auto args = FieldTableFromJson(q.arguments);
    if (!args.ok() || !ValidateQueueArgs(*args, q.name, name_).ok()) {
      log::Warning("not restoring " + ResourceName("queue", q.name, name_) +
                   ": its arguments are not usable");
      continue;
    }
    QueueSpec spec{q.name, true, false, q.auto_delete, std::move(args).value(), nullptr};
    QueueSettings settings = ResolveQueueSettings(spec.args, QueuePolicy(q.name));
    auto queue = std::make_shared<Queue>(*this, std::move(spec), std::move(settings), now);
    if (messages_) queue->set_store(messages_, QueueStoreKey(name_, q.name));
    queues_[q.name] = std::move(queue);
  }
  for (const auto& [key, b] : state.bindings()) {
    if (b.vhost != name_ || Pending('b', b.source)) continue;
    Exchange* x = FindExchange(b.source);
    const Destination d{b.destination, b.destination_type == "exchange"};
    auto args = FieldTableFromJson(b.arguments);
    if (!x || !args.ok() || (d.exchange ? !FindExchange(d.name) : !FindQueue(d.name))) continue;
    x->Bind(Binding{d, b.routing_key, std::move(args).value()});
  }
  if (!persist_) return;
  for (const auto& name : stale) {
    json c = {{"op", "queue.delete"}, {"vhost", name_}, {"name", name}, {kTransient, true},
              {"node", local_node_}};
    (void)Written(persist_(c), ResourceName("queue", name, name_));
  }
  for (const auto& name : stale_exchanges) {
    json c = {{"op", "exchange.delete"}, {"vhost", name_}, {"name", name}, {kTransient, true},
              {"node", local_node_}};
    (void)Written(persist_(c), ResourceName("exchange", name, name_));
  }
}

Status Core::Restore() {
  if (!options.message_store_dir.empty()) {
    store::MessageStoreOptions o;
    o.dir = options.message_store_dir;
    o.warn = [](const std::string& m) { log::Warning(m); };
    WARREN_ASSIGN_OR_RETURN(messages, store::MessageStore::Open(std::move(o)));
  }
  for (const auto& [name, v] : store.state().vhosts()) {
    if (Vhost* vhost = FindVhost(name)) vhost->Restore(store.state());
  }
  if (!messages) return Status::OK();
  size_t recovered = 0, orphaned = 0;
  const int64_t now = NowMs();
  // Streamed from the segments into the queues, which page long backlogs out.
  std::string last_key;
  std::shared_ptr<Queue> last_queue;
  std::set<std::string> orphans;
  Status read = messages->Recover([&](const std::string& key, uint64_t id, std::string_view payload) {
    if (key != last_key) {
      last_key = key;
      last_queue.reset();
      const size_t cut = key.find('\0');
      if (cut != std::string::npos) {
        auto v = vhosts.find(key.substr(0, cut));
        if (v != vhosts.end()) last_queue = v->second->FindQueue(key.substr(cut + 1));
      }
      if (last_queue && !last_queue->persistent_queue()) last_queue.reset();
    }
    if (!last_queue) {
      // The queue was deleted while its removal was not yet durable.
      ++orphaned;
      orphans.insert(key);
      return;
    }
    ++recovered;
    last_queue->RecoverOne(id, payload, now);
  });
  if (!read.ok()) log::Error("message store: " + read.message());
  for (const auto& key : orphans) messages->RemoveQueue(key);
  SyncMessages();
  if (recovered || orphaned)
    log::Info("recovered " + std::to_string(recovered) + " persistent messages" +
              (orphaned ? " (dropped " + std::to_string(orphaned) + " of deleted queues)" : ""));
  return Status::OK();
}

void Core::SyncMessages() {
  durability.worker.reset();  // waits for the fdatasyncs in progress
  durability.in_flight.clear();
  if (!messages || !messages->dirty()) return;
  Status s = messages->Sync();
  if (!s.ok()) log::Error("message store: " + s.message());
}

void Core::CommitMessages() {
  if (!messages) return;
  Durability& d = durability;
  auto wrote = messages->WriteOut();
  if (!wrote.ok()) {
    // The records stay buffered for the next write; this batch's confirms are nacks.
    ++d.written;
    d.failed.push_back({d.written, d.written});
    log::Error("message store: " + wrote.status().message() +
               "; publishers are sent nacks until writes succeed again");
    return;
  }
  if (!wrote->wrote) return;
  d.last_ok = ++d.written;
  // A full segment was sealed: its fdatasync covers this write, whatever is in flight.
  if (wrote->sealed_fd >= 0) Submit(wrote->sealed_fd, d.written);
}

void Core::WantDurable(uint64_t generation) {
  durability.wanted = std::max(durability.wanted, generation);
  StartSync();
}

void Core::Submit(int fd, uint64_t target) {
  Durability& d = durability;
  if (!d.worker) d.worker = std::make_unique<SyncWorker>(io, kSyncsInFlight);
  d.submitted = std::max(d.submitted, target);
  d.in_flight.push_back({target});
  d.worker->Submit(fd, [this, target](const Status& s) { OnSynced(target, s); });
}

void Core::StartSync() {
  Durability& d = durability;
  if (int(d.in_flight.size()) >= kSyncsInFlight || d.last_ok <= d.submitted ||
      d.wanted <= d.submitted)
    return;
  const uint64_t target = d.written;
  const int fd = messages->SyncFd();
  if (fd < 0) {
    d.submitted = target;
    OnSynced(target, Status::Unavailable(std::string("message store: cannot open the segment "
                                                     "for fdatasync: ") + std::strerror(errno)));
    return;
  }
  Submit(fd, target);
}

void Core::OnSynced(uint64_t target, const Status& s) {
  Durability& d = durability;
  bool known = false;
  for (auto& sync : d.in_flight)
    if (sync.target == target) {
      sync.done = true;
      sync.status = s;
      known = true;
    }
  if (!known) {
    // An fdatasync that failed to start, reported at once.
    d.in_flight.push_back({target, true, s});
  }
  // Generations become durable in submission order: a later sync that finished first
  // waits for the earlier ones.
  bool advanced = false;
  while (!d.in_flight.empty() && d.in_flight.front().done) {
    const auto& sync = d.in_flight.front();
    if (!sync.status.ok()) {
      d.failed.push_back({d.durable + 1, sync.target});
      log::Error(sync.status.message() + "; the confirms of the messages it covered are nacks");
    }
    d.durable = sync.target;
    d.in_flight.pop_front();
    advanced = true;
  }
  if (!advanced) return;
  // Forget failures every confirm has been told about (confirms wait at most a second).
  std::erase_if(d.failed, [&](const auto& r) { return r.second + 100000 < d.durable; });
  messages->Synced();
  std::vector<std::shared_ptr<Connection>> all;
  all.reserve(connections.size());
  for (auto& [raw, c] : connections) all.push_back(c);
  for (auto& c : all) c->ConfirmsResolved();
  std::vector<std::shared_ptr<HomeSession>> sessions;
  for (auto& [raw, s] : this->sessions) sessions.push_back(s);
  for (auto& s : sessions) s->ConfirmsResolved();
  StartSync();
}

Core::Outcome Core::ConfirmOutcome(uint64_t generation) const {
  for (const auto& [first, last] : durability.failed)
    if (generation >= first && generation <= last) return Outcome::kNack;
  return generation <= durability.durable ? Outcome::kAck : Outcome::kPending;
}

}  // namespace warren::broker
