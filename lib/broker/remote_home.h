// Another member, as the home of queues this node's clients use (docs/clustering.md,
// "Queues across members"). Each such queue has a stand-in here (Queue::home()), so
// bindings and routing work as for local queues; what reaches a stand-in (publishes,
// consumers, credit, settlements, basic.get, queue operations) is sent to its member
// over one peer link (peer_wire.h), dialed when first needed and again after it broke.
// Confirms, deliveries and replies come back to the channels and consumers that asked.
//
// When the member cannot be reached or the link breaks, what waits on it fails as
// RabbitMQ fails it when a queue's node is down: publishes are nacked, consumers are
// cancelled (basic.cancel), and operations are refused with NOT_FOUND "home node ... of
// durable queue ... is down or inaccessible"; so does a member that leaves a request
// unanswered for 15 seconds. Internal to lib/broker; owned by the core.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "broker/peer_wire.h"
#include "broker/queue.h"

namespace warren::broker {

struct Core;
class PeerLink;

class RemoteHome {
 public:
  RemoteHome(Core& core, std::string node);
  ~RemoteHome();

  const std::string& node() const { return node_; }

  // Publishes `m` to stand-in `q`. With `channel` (a channel's serial) not 0, that
  // channel hears Channel::RemoteConfirmed(seq) once the member has it (durably, for a
  // persistent message). False when the member is known to be down: nothing was sent.
  bool Publish(const Queue& q, const Message& m, uint64_t channel, uint64_t seq);
  // A reply published to "amq.rabbitmq.reply-to.<token>" whose consumer is on the
  // member: it gets it there. False when the member is known to be down.
  bool PublishReply(const std::string& token, const Message& m);
  // Starts consumer `c` of stand-in `c.queue` with `credit` deliveries in flight;
  // done(OK) once the member took it, or its refusal.
  void Consume(Consumer& c, uint32_t credit, std::function<void(Status)> done);
  // Ends consumer `c`; the deliveries it had not yet passed on go back to the queue.
  void Cancel(Consumer& c);
  // Consumer `c` passed on `more` deliveries: as many more may come.
  void Credit(Consumer& c, uint32_t more);
  // Acks, rejects or requeues a delivery of a stand-in (Entry::link, Entry::seq).
  void Settle(const Entry& e, peer::Settle how);

  struct Got {
    Entry entry;
    uint32_t left;  // messages left in the queue
  };
  // basic.get: a message, nothing (empty), or the refusal.
  void Get(const Queue& q, bool no_ack, std::function<void(Result<std::optional<Got>>)> done);
  // queue.declare's counts (kInfo: ready, consumers), queue.purge and queue.delete
  // (messages dropped), done on the member.
  void QueueOp(const Queue& q, peer::QueueOp op, uint8_t flags,
               std::function<void(Result<std::pair<uint64_t, uint64_t>>)> done);

  // Declares a queue on the member (placed there by a queue master locator): done with
  // its counts (ready, consumers) or the refusal; `reached` false when the member
  // could not be asked at all.
  using Declared = std::function<void(Result<std::pair<uint64_t, uint64_t>>, bool reached)>;
  void Declare(const std::string& vhost, const QueueSpec& spec, Declared done);
  // Known to be down (a dial failed a moment ago).
  bool known_down() const { return Unreachable(); }

  // Ends the link as if the member went down (fault injection).
  void Drop(const Status& why) { Broke(why); }

  // NOT_FOUND as RabbitMQ words a queue whose member is down.
  Status Down(const std::string& vhost, const std::string& queue) const;

 private:
  using Handler = std::function<void(const peer::Frame*, const Status&)>;
  struct Pending {
    std::string vhost, queue;  // for the error when the member is down
    Handler handler;
    int64_t asked_at;  // steady ms
  };
  struct ConfirmWait {
    uint64_t id, channel, seq;
  };

  // Frames go out over the link, dialing it first when there is none.
  std::string& Out();
  void Send();
  bool Unreachable() const;
  template <typename Done>
  void Later(Done done, Status error);
  void Dial();
  void Connected(int fd);
  void Broke(const Status& why);
  uint64_t Request(const Queue& q, Handler h);
  uint64_t Request(const std::string& vhost, const std::string& queue, Handler h);
  Status OnFrame(const peer::Frame& f);
  Status OnDeliver(peer::FieldReader& r);
  Status OnCancelled(peer::FieldReader& r);
  Status OnConfirm(peer::FieldReader& r);
  Status OnFlow(peer::FieldReader& r);
  // Credit and settlements gathered since the last frame, written out.
  void WriteBatched();
  // Everything written so far, onto the link (which must be up).
  void ToLink();
  // Stand-ins of this member's queues no longer hold their publishers back, unless
  // the member asked them to (kFlow).
  void Unthrottle();
  // Consumer `c`'s queue went (the member cancelled it, or the link broke): the client
  // is told. What it had buffered goes back when the member can still take it.
  void Gone(Consumer& c, bool requeue_buffered);

  Core& core_;
  std::string node_;
  std::shared_ptr<PeerLink> link_;
  bool dialing_ = false;
  int64_t down_until_ = 0;  // steady ms: after a failed dial, fail fast until then
  uint32_t epoch_ = 0;      // counts links; deliveries carry it (Entry::link)
  std::string out_;         // frames waiting for the link
  bool send_posted_ = false;
  uint64_t next_id_ = 0;    // requests, consumers and confirm ids
  std::map<uint64_t, Pending> pending_;
  std::deque<ConfirmWait> confirms_;
  std::unordered_map<uint64_t, Consumer*> consumers_;
  std::map<uint64_t, uint32_t> credits_;  // credit to give back, by consumer
  std::vector<uint64_t> settles_[3];      // delivery numbers to settle, by peer::Settle
  std::set<std::pair<std::string, std::string>> flowing_;  // stand-ins told to slow down
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  // A member that keeps the link open but stops answering (a paused process) is taken
  // for down once a request has waited kAnswerWithinMs.
  void Watch();
  asio::steady_timer watch_;
  bool watching_ = false;
};

}  // namespace warren::broker
