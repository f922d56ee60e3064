// One AMQP channel of a connection: its consumers, unacknowledged deliveries, prefetch,
// publisher confirms, transactions and the publish in progress. Methods arrive from
// the connection already decoded; replies and deliveries are appended to the
// connection's output. Errors come back as Refuse() statuses: a soft reply code closes
// the channel, a hard one the connection. Lives on its connection's shard.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "amqp/frame.h"
#include "broker/confirms.h"
#include "broker/handover.h"
#include "broker/queue.h"

namespace warren::broker {

class Connection;
class Exchange;
class Vhost;

// Whether `name` is the direct reply-to pseudo-queue, amq.rabbitmq.reply-to.
bool IsReplyQueue(const std::string& name);

class Channel : public ConsumerSink {
 public:
  Channel(Connection& conn, ChannelId id);
  // The channel as it was on the shard the connection moved from (handover.cc).
  Channel(Connection& conn, const ChannelState& state);
  ~Channel();

  ChannelId id() const { return id_; }
  const Connection& connection() const { return conn_; }
  bool closing() const { return closing_; }
  void set_closing() { closing_ = true; }

  // A method for this channel (not channel.open/close, which the connection handles).
  Status OnMethod(amqp::Method& method);
  Status OnHeader(const amqp::HeaderEvent& header);
  Status OnBody(const amqp::BodyEvent& body);
  // After a batch of input, and when an fdatasync finishes: the confirms whose messages
  // are durable (or failed to be) are sent, in order.
  void FlushConfirms();

  // Queue side (ConsumerSink).
  bool CanDeliver(const Consumer& c) const override;
  void Deliver(Consumer& c, Entry entry) override;
  // The queue of `c` went away: the client is told (basic.cancel) when it asked to be.
  void ConsumerGone(Consumer& c) override;
  const void* connection_id() const override { return &conn_; }
  // Another member has (or failed to take) this channel's publish `seq` (remote_home.h).
  void RemoteConfirmed(uint64_t seq, bool ack);
  // Offers messages again to this channel's consumers (credit or output space freed).
  void Kick();
  // Requeues every unacknowledged delivery and detaches the consumers (channel or
  // connection closing).
  void Release();
  // Direct reply-to: a reply published to "amq.rabbitmq.reply-to.<token>" goes straight
  // to this channel's reply consumer, without a queue and without acknowledgement.
  void DeliverReply(const Message& m);

  // Moving the connection to another shard (handover.cc).
  // The holder of the queues method `m` uses: "" for this shard's (or a queue `m`
  // creates, or another member's, or several holders'); nullopt when `m` uses no queue
  // that exists.
  std::optional<std::string> HolderUsed(const amqp::Method& m);
  // Nothing of the channel is tied to this shard: no consumers, unacknowledged
  // deliveries, confirms due, transaction work or publish in progress, and no direct
  // reply-to address handed out (a reply consumer whose address nobody has yet moves).
  bool Movable() const;
  ChannelState Save() const;

  // Read-only views for the admin listings.
  uint64_t serial() const override { return serial_; }
  bool transactional() const { return tx_; }
  bool confirm() const { return confirm_; }
  size_t consumer_count() const { return consumers_.size(); }
  size_t unacked_count() const { return unacked_.size(); }
  size_t uncommitted_publishes() const { return tx_publishes_.size(); }
  size_t uncommitted_settles() const { return tx_settles_.size(); }
  size_t unconfirmed() const { return confirms_.size(); }
  uint32_t prefetch_count() const { return consumer_prefetch_; }
  uint32_t global_prefetch_count() const { return channel_prefetch_; }
  // Calls f(queue, entry) for each unacknowledged delivery.
  template <typename F>
  void ForEachUnacked(F&& f) const {
    for (const auto& u : unacked_) f(*u.queue, u.entry);
  }

 private:
  struct Unacked {
    uint64_t tag;
    std::shared_ptr<Queue> queue;
    std::shared_ptr<Consumer> consumer;  // null for basic.get
    Entry entry;
  };
  struct PendingPublish {
    amqp::BasicPublish method;
    std::optional<amqp::BasicProperties> properties;
    uint64_t body_size = 0;
    std::string body;
  };
  enum class Settle { kAck, kRequeue, kReject };

  // Declarations (channel_declare.cc).
  Status ExchangeDeclare(const amqp::ExchangeDeclare& m);
  Status ExchangeDelete(const amqp::ExchangeDelete& m);
  Status ExchangeBind(const amqp::ExchangeBind& m, bool bind);
  Status QueueDeclare(amqp::QueueDeclare& m);
  Status QueueBind(const amqp::QueueBind& m);
  Status QueueUnbind(const amqp::QueueUnbind& m);
  Status QueuePurge(const amqp::QueuePurge& m);
  Status QueueDelete(const amqp::QueueDelete& m);
  std::string QueueNameOrLast(const std::string& name) const;

  // Consumers and acknowledgements (channel.cc).
  Status Qos(const amqp::BasicQos& m);
  Status Consume(const amqp::BasicConsume& m);
  Status Cancel(const amqp::BasicCancel& m);
  Status Get(const amqp::BasicGet& m);
  Status SettleTags(uint64_t tag, bool multiple, Settle how);
  Status SettleNow(uint64_t tag, bool multiple, Settle how);
  Status Recover(bool requeue);
  void DetachConsumer(std::shared_ptr<Consumer> c, bool tell_queue);

  // Publishing, confirms and transactions (channel_publish.cc).
  Status StartPublish(amqp::BasicPublish& m);
  Status FinishPublish();
  // Routes and enqueues a checked publish; `x` is its exchange when the caller has just
  // looked it up (a transaction's publishes look it up again at commit).
  Status Publish(PendingPublish p, Exchange* x);
  Status ConfirmSelect(const amqp::ConfirmSelect& m);
  Status TxSelect();
  Status TxCommit();
  Status TxRollback();
  void Confirm(bool ack);

  // Methods on a stand-in queue, answered by the member holding it (channel_remote.cc):
  // the connection is suspended until the answer is in.
  Status ConsumeRemote(std::shared_ptr<Consumer> c, bool no_wait);
  Status GetRemote(Queue& q, bool no_ack);
  Status QueueOpRemote(Queue& q, const amqp::Method& m);
  // queue.declare of a new queue a locator placed on member `node`.
  Status DeclareElsewhere(const std::string& node, QueueSpec spec, bool no_wait);
  // A change the metadata records (channel_declare.cc): `start` makes it, handing the
  // store's answer to the callback it gets; `finish` replies once that is OK. When the
  // answer comes later (a cluster commits through its leader), the connection is
  // suspended until then, so the rest of the node's traffic does not wait for it.
  Status AfterCommit(const amqp::Method& m, const std::function<Status(std::function<void(Status)>)>& start,
                     std::function<Status(Channel&)> finish);
  // The open channel numbered `serial`, if any.
  static Channel* BySerial(Core& core, uint64_t serial);
  // basic.get-ok for `entry`, and its unacknowledged delivery unless `no_ack`.
  void SendGetOk(Queue& q, Entry entry, uint32_t left, bool no_ack);

  void Reply(const amqp::Method& m);
  Vhost& vhost();

  Connection& conn_;
  ChannelId id_;
  bool closing_ = false;
  bool flow_active_ = true;

  std::map<std::string, std::shared_ptr<Consumer>> consumers_;
  std::deque<Unacked> unacked_;
  uint64_t next_tag_ = 0;
  uint32_t consumer_prefetch_ = 0;  // for consumers created from now on
  uint32_t channel_prefetch_ = 0;   // shared by the channel's consumers; 0 = none
  std::string last_queue_;

  std::optional<PendingPublish> publishing_;

  // Direct reply-to (channel_reply.cc).
  Status ConsumeReplies(const amqp::BasicConsume& m);
  // Makes this channel's reply address (on this shard) for consumer `tag`.
  void ListenForReplies(std::string tag);
  bool CancelReplies(const std::string& tag);
  void EndReplies();
  // Rewrites reply_to "amq.rabbitmq.reply-to" to this channel's address; PRECONDITION_FAILED
  // without a reply consumer.
  Status AddressReplies(amqp::BasicProperties& props);
  // True when `routing_key` on the default exchange names a reply address (delivered or not).
  bool RouteReply(const Message& m, bool& delivered);
  std::string reply_token_, reply_tag_;
  bool reply_addressed_ = false;  // a request carried the address out: it must stay valid

  bool confirm_ = false;
  uint64_t publish_seq_ = 0;
  ConfirmQueue confirms_;

  bool tx_ = false;
  std::vector<PendingPublish> tx_publishes_;
  std::vector<std::tuple<uint64_t, bool, Settle>> tx_settles_;
  const uint64_t serial_ = NextSerial();
};

}  // namespace warren::broker
