// One virtual host's exchanges, queues and bindings, and the operations AMQP methods
// perform on them (declare, delete, bind, route, dead-letter) with RabbitMQ's checks and
// reply texts. Permissions are the channel's business; this is the model. Owned by
// the broker; used on its shard only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/exchange.h"
#include "broker/queue.h"
#include "meta/state.h"
#include "policy/policy.h"
#include "store/message_store.h"

namespace warren::broker {

// Names starting "amq." are reserved for the exchanges every vhost has.
inline bool ReservedName(const std::string& name) { return name.rfind("amq.", 0) == 0; }

// The field marking metadata commands that matter only to the other members of a
// cluster (non-durable queues and their bindings): a standalone node does not write them.
inline constexpr const char* kTransient = "transient";

// The message store's key for a queue's messages.
std::string QueueStoreKey(const std::string& vhost, const std::string& queue);

class RemoteHome;

// Called for each consumer of a queue that goes away (deleted, expired, auto-deleted).
using ConsumerGone = std::function<void(Consumer&)>;

class Vhost {
 public:
  Vhost(std::string name, std::function<int64_t()> now);
  ~Vhost();

  const std::string& name() const { return name_; }

  // Deletions are handed to the store without waiting (a client's queue.delete is
  // answered at once; later changes of this node follow it in order). An operator's
  // command instead returns once its change is committed, as rabbitmqctl's does, and
  // cannot be overtaken by the operator's next command: admin.cc makes its changes
  // within this scope (operator_change.cc). Inside a fiber, the scope's commits are
  // handed to the store without blocking and Wait suspends the fiber until all are
  // answered, the loop serving clients meanwhile; elsewhere, deletions persist inline.
  class OperatorChange {
   public:
    using Post = std::function<void(std::function<void()>)>;  // runs a task on the loop
    OperatorChange(Vhost& v, Post post);
    ~OperatorChange();
    OperatorChange(const OperatorChange&) = delete;
    OperatorChange& operator=(const OperatorChange&) = delete;

    // Whether commits are awaited by Wait (in a fiber), rather than made inline.
    bool awaits() const { return bool(tracker_); }
    // REQUIRES: awaits(). The answer for one commit made in the scope; Wait waits for it.
    // Dropped without being called (the vhost went first), it counts as a failure.
    std::function<void(Status)> Track();
    // Ends the scope (the vhost is not touched after it) and, if awaits(), suspends the
    // fiber until every tracked commit is answered. The first failure, or OK.
    Status Wait();
    // Makes a change that takes an answer: change(then) with a tracked `then` when
    // awaits(), else with none (the vhost's call then waits for the store itself), and
    // waits as Wait does. A change refused at once (it will not call `then`) returns its
    // own error.
    Status Make(const std::function<Status(std::function<void(Status)> then)>& change);

   private:
    struct Tracker;
    void End();
    Vhost* v_;
    std::weak_ptr<bool> alive_;
    OperatorChange* outer_;
    bool ended_ = false;
    std::shared_ptr<Tracker> tracker_;
  };

  // A declaration or binding the metadata records, for a caller that need not wait
  // (a channel): the change is made in the engine at once and the store's answer goes
  // to then(status), later on a cluster (which commits it through its leader) or
  // before the call returns; on an error the change is undone first. A call that
  // returns an error made no change and does not call `then`. Without `then`, the call
  // waits for the store.
  using Committed = std::function<void(Status)>;

  // exchange.declare. `passive`: NOT_FOUND unless it exists. Otherwise creates it or
  // checks the existing one is equivalent (PRECONDITION_FAILED naming the argument).
  Status DeclareExchange(const ExchangeSpec& spec, bool passive, Committed then = nullptr);
  // exchange.delete; deleting a missing exchange succeeds, as in RabbitMQ 3.x.
  Status DeleteExchange(const std::string& name, bool if_unused);
  Exchange* FindExchange(const std::string& name);

  // queue.declare: the queue (created or existing). `spec.owner` is the declaring
  // connection, which an exclusive queue belongs to. With `then` (see Committed), the
  // queue it gets may differ from the one returned: another member's, when that
  // member declared it first.
  using QueueCommitted = std::function<void(Result<std::shared_ptr<Queue>>)>;
  Result<std::shared_ptr<Queue>> DeclareQueue(QueueSpec spec, bool passive,
                                              QueueCommitted then = nullptr);
  // queue.delete: how many ready messages were dropped.
  Result<size_t> DeleteQueue(const std::string& name, bool if_unused, bool if_empty,
                             const void* owner);
  // The queue `name` as `owner` may use it: NOT_FOUND or RESOURCE_LOCKED otherwise.
  Result<Queue*> UsableQueue(const std::string& name, const void* owner);
  // The queue, or its stand-in when another member holds it.
  std::shared_ptr<Queue> FindQueue(const std::string& name);

  // queue.bind / exchange.bind and their unbinds; `destination` must exist.
  Status Bind(const std::string& source, const Destination& destination, const std::string& key,
              const amqp::FieldTable& args, Committed then = nullptr);
  Status Unbind(const std::string& source, const Destination& destination, const std::string& key,
                const amqp::FieldTable& args);

  // The queues a message published to `exchange` reaches (each once): through the
  // exchange's bindings, exchange-to-exchange bindings, the CC and BCC headers, and the
  // alternate exchange when nothing else matched.
  void Route(const Exchange& exchange, const Message& message, std::vector<Queue*>& out);
  // The queues a message with `routing_key` and no headers reaches through the
  // exchange's bindings alone (no CC, BCC or alternate exchange): where a publisher's
  // messages go, as far as its publish method tells.
  void RouteKey(const Exchange& exchange, const std::string& routing_key, std::vector<Queue*>& out);

  // Republishes `entry` to the queue's dead-letter exchange with an x-death record;
  // drops it when the queue has none (or it does not exist).
  void DeadLetter(Queue& queue, Entry entry, const char* reason);

  // A consumer of `q` went (cancelled, or its channel or peer link closed): the queue
  // auto-deletes when that was its last consumer, else offers its messages to the rest
  // (with a single active consumer, the next one takes over).
  void ConsumerLeft(Queue& q, Consumer* c);

  // Drops a connection's exclusive queues (the connection closed).
  void OwnerGone(const void* owner);
  // Expires message heads and unused queues (x-expires).
  void Tick(int64_t now_ms);
  // Recomputes every queue's settings and exchange's alternate exchange from policies.
  void ApplyPolicies(policy::PolicySet policies, policy::PolicySet operator_policies);

  void set_consumer_gone(ConsumerGone f) { consumer_gone_ = std::move(f); }

  // Exchange types plugins registered, by name (null for an unknown one).
  using ExchangeTypes = std::function<std::shared_ptr<plugin::ExchangeType>(const std::string&)>;
  void set_exchange_types(ExchangeTypes f) { exchange_types_ = std::move(f); }
  // Called when a queue or exchange is created or deleted (not when restored at boot).
  using OnEvent = std::function<void(plugin::EventKind, const std::string& name)>;
  void set_on_event(OnEvent f) { on_event_ = std::move(f); }
  // Where queues page out their backlogs (null: they never do).
  void set_paging(const PagingOptions* p) { paging_ = p; }
  const PagingOptions* paging() const { return paging_; }
  // The vhost's max-queues limit, if any (read from the metadata when a queue is made).
  using QueueLimit = std::function<std::optional<int64_t>()>;
  void set_queue_limit(QueueLimit f) { queue_limit_ = std::move(f); }
  // Sets spec.type (and the custom routing for a plugin's type) from `type`; false
  // for a type nobody knows.
  bool SetExchangeType(ExchangeSpec& spec, const std::string& type) const;

  // Durability (durable.cc): durable exchanges, queues and bindings are written to the
  // metadata store through `persist` (waiting) or `persist_async` (meta::Store's
  // SubmitAsync: changes a channel made, and deletions); persistent messages of durable
  // queues go to `messages`. Without them (tests), nothing is written.
  using Persist = std::function<Status(const nlohmann::json& command)>;
  using PersistAsync = std::function<void(nlohmann::json command, Committed done)>;
  void set_durability(Persist persist, PersistAsync persist_async, store::MessageStore* messages) {
    persist_ = std::move(persist);
    persist_async_ = std::move(persist_async);
    messages_ = messages;
  }
  // This node's name, the metadata's record of a queue (null when it has none), and
  // the member holding queues another member holds: such a queue has a stand-in here
  // (Queue::home()) that sends what reaches it to that member.
  void set_local_node(std::string node) { local_node_ = std::move(node); }
  void set_queue_record(std::function<const meta::Queue*(const std::string&)> f) {
    queue_record_ = std::move(f);
  }
  void set_home_of(std::function<RemoteHome*(const std::string& node)> f) { home_of_ = std::move(f); }
  // Whether the metadata is a cluster's, which records non-durable exchanges, queues
  // and bindings too.
  void set_replicated(std::function<bool()> f) { replicated_ = std::move(f); }
  // Recreates the vhost's durable exchanges, queues (stand-ins for those other members
  // hold) and bindings from the metadata; the queues' messages come back through
  // Queue::Recover. Durable exchanges and bindings and stand-ins the metadata no longer
  // has (another member deleted them) go. An entity whose change is on its way to the
  // store (CommitAsync) is left as the engine has it: the metadata lags behind it.
  void Restore(const meta::State& state);
  // Where a new queue goes (x-queue-master-locator, else the queue-master-locator policy):
  // "client-local" (the default), "min-masters" or "random".
  std::string Locator(const std::string& name, const amqp::FieldTable& args) const;
  // A stand-in for `record`: a queue its member holds (made from the metadata, or
  // from a declaration just placed there).
  std::shared_ptr<Queue> MakeStandIn(const meta::Queue& record);
  // Drops a stand-in without touching the metadata (its member deleted the queue).
  void DropStandIn(const std::string& name);

  const std::unordered_map<std::string, std::unique_ptr<Exchange>>& exchanges() const { return exchanges_; }
  const std::unordered_map<std::string, std::shared_ptr<Queue>>& queues() const { return queues_; }
  // The policies in effect (null until the broker applied them).
  const policy::PolicySet* policies() const { return policies_.get(); }
  const policy::PolicySet* operator_policies() const { return operator_policies_.get(); }

 private:
  // `persist`: the deletion is written to the metadata (false: it already was).
  // `announce`: plugins hear of it (false when undoing a creation the metadata refused,
  // which they never heard of).
  void RemoveQueue(const std::string& name, bool persist = true, bool announce = true);
  void DropExchange(const std::string& name, bool persist, bool announce = true);
  // The stand-in for `name` when the metadata places it on another member (made now if
  // need be), else null.
  std::shared_ptr<Queue> StandIn(const std::string& name);
  void Prune(const meta::State& state);
  void Emit(plugin::EventKind kind, const std::string& name) {
    if (on_event_) on_event_(kind, name);
  }
  // Writes the declaration (or deletion) of a durable entity; OK for transient ones.
  // With `then`, asynchronously (see Committed; a deletion passes an empty `then`).
  Status PersistExchange(const Exchange& x, bool declare, Committed then = nullptr);
  Status PersistQueue(Queue& q, bool declare, Committed then = nullptr);
  Status PersistBinding(const Exchange& source, const Binding& b, bool add,
                        Committed then = nullptr);
  // Hands `c` to the store without waiting; `what` names it in errors. then(status)
  // runs once the store answered, if this vhost still exists. Until then `key` is
  // pending: "x" + an exchange's name, "q" + a queue's, "b" + the source of bindings.
  void CommitAsync(nlohmann::json c, std::string what, std::string key, Committed then,
                   bool keep_exists = false);
  bool Pending(char kind, const std::string& name) const {
    return !pending_.empty() && pending_.count(kind + name) > 0;
  }
  // Who hears of a deletion's commit when its caller passed no `then`: nobody (it is
  // not waited for), or the operator's scope; null when it must persist inline.
  Committed DeletionAnswer();
  // Hands `c` (a `removal` or not) to the store: by CommitAsync when someone hears the
  // answer (`then`, or DeletionAnswer's), else waiting for it. `keep_exists`: an
  // AlreadyExists answer is passed on as it is (a queue another member declared first).
  Status Commit(nlohmann::json c, std::string what, std::string key, bool removal,
                Committed then, bool keep_exists = false);
  // For a change the metadata does not record: answers `then` at once.
  static Status NothingToRecord(const Committed& then);
  Status DeclareExchangeAsync(const ExchangeSpec& spec, Committed then);
  void DeclareQueueAsync(const std::shared_ptr<Queue>& q, QueueCommitted then);
  // Whether the metadata records a binding to `d`: a durable exchange or queue, or (in a
  // cluster only) a non-durable exchange or non-exclusive queue.
  enum class Recorded { kNo, kDurable, kTransient };
  Recorded RecordedDestination(const Destination& d);
  Result<Exchange*> BindingEnds(const std::string& source, const Destination& destination);
  Status Locked(const std::string& queue) const;
  void MaybeAutoDeleteExchange(const std::string& name);
  nlohmann::json QueuePolicy(const std::string& name) const;
  std::optional<std::string> AlternateExchange(const Exchange& x) const;
  void RouteFrom(const Exchange& x, const std::string& key, const amqp::FieldTable* headers,
                 std::vector<const Exchange*>& visited, std::vector<Queue*>& out);

  std::string name_;
  std::function<int64_t()> now_;
  std::unordered_map<std::string, std::unique_ptr<Exchange>> exchanges_;
  std::unordered_map<std::string, std::shared_ptr<Queue>> queues_;
  std::unique_ptr<policy::PolicySet> policies_, operator_policies_;
  ConsumerGone consumer_gone_;
  ExchangeTypes exchange_types_;
  OnEvent on_event_;
  const PagingOptions* paging_ = nullptr;
  QueueLimit queue_limit_;
  Persist persist_;
  PersistAsync persist_async_;
  std::map<std::string, int> pending_;  // CommitAsync's keys not answered yet, counted
  OperatorChange* operator_change_ = nullptr;  // the innermost one in scope
  uint64_t incarnations_ = 0;  // numbers exchanges made (Exchange::incarnation)
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::string local_node_;
  std::function<const meta::Queue*(const std::string&)> queue_record_;
  std::function<RemoteHome*(const std::string&)> home_of_;
  std::function<bool()> replicated_;
  // Stand-ins dropped because their member deleted the queue, until the metadata here
  // no longer has it: no stand-in is made for them from the record in the meantime.
  std::set<std::string> dropped_;
  store::MessageStore* messages_ = nullptr;
  std::vector<const Destination*> scratch_;
};

}  // namespace warren::broker
