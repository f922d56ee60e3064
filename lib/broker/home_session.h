// The other end of a RemoteHome (remote_home.h): a member's peer link to this node,
// through which that member's clients use queues held here. Publishes are enqueued and
// confirmed once durable, as a channel's are; consumers are consumers of the queue like
// any other, limited by the credit the member grants, their deliveries unacknowledged
// here until the member settles them; basic.get and queue operations are answered.
// When the link ends, the member's consumers go and what it had not settled is requeued,
// as when a client connection closes. Internal to lib/broker; owned by the core.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "broker/confirms.h"
#include "broker/peer_wire.h"
#include "broker/queue.h"

namespace warren::broker {

struct Core;
class PeerLink;
class Vhost;

class HomeSession : public ConsumerSink {
 public:
  HomeSession(Core& core, std::shared_ptr<PeerLink> link);
  ~HomeSession();
  void Start();
  // An fdatasync finished: confirms waiting for it go out.
  void ConfirmsResolved();
  const std::string& peer() const;
  // Ends the session as if the member went away (fault injection); may destroy it.
  void Drop();

  bool CanDeliver(const Consumer& c) const override;
  void Deliver(Consumer& c, Entry entry) override;
  void ConsumerGone(Consumer& c) override;
  uint64_t serial() const override { return serial_; }
  const void* connection_id() const override { return this; }

 private:
  struct Unacked {
    std::shared_ptr<Queue> queue;
    Entry entry;
  };

  Status OnFrame(const peer::Frame& f);
  Status OnPublish(peer::FieldReader& r);
  Status OnDirectReply(peer::FieldReader& r);
  Status OnConsume(peer::FieldReader& r);
  Status OnCredit(peer::FieldReader& r);
  Status OnSettle(peer::FieldReader& r);
  Status OnCancel(peer::FieldReader& r);
  Status OnGet(peer::FieldReader& r);
  Status OnQueueOp(peer::FieldReader& r);
  Status OnDeclare(peer::FieldReader& r);
  void FlushConfirms();
  void Reply(uint64_t request, const Status& s, uint64_t a = 0, uint64_t b = 0);
  // A queue held here (not a stand-in), or NOT_FOUND.
  Result<std::shared_ptr<Queue>> LocalQueue(std::string_view vhost, std::string_view name,
                                            Vhost** where = nullptr);
  // Tells the member to slow down publishing to `q` until it drains.
  void Throttle(Queue& q);
  // Consumer `c` of the member's went away (Vhost::ConsumerLeft).
  void Left(Consumer& c);
  void End();

  Core& core_;
  std::shared_ptr<PeerLink> link_;
  std::unordered_map<uint64_t, std::shared_ptr<Consumer>> consumers_;  // by the member's id
  std::unordered_map<uint64_t, Unacked> unacked_;                      // by delivery number
  uint64_t next_delivery_ = 0;
  ConfirmQueue confirms_;
  std::set<std::pair<std::string, std::string>> throttled_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  const uint64_t serial_ = NextSerial();
};

}  // namespace warren::broker
