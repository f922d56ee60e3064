#include "broker/channel.h"

#include <algorithm>

#include "amqp/codec_error.h"
#include "broker/connection.h"
#include "broker/vhost.h"

namespace warren::broker {

Channel::Channel(Connection& conn, ChannelId id) : conn_(conn), id_(id) {
  conn_.core().channels[serial_] = this;
}
Channel::~Channel() {
  EndReplies();
  conn_.core().channels.erase(serial_);
}

Vhost& Channel::vhost() { return conn_.vhost(); }

void Channel::Reply(const amqp::Method& m) {
  Status s = amqp::WriteMethodFrame(conn_.out(), id_, m, conn_.frame_max());
  (void)s;  // replies are small and always fit
}

Status Channel::OnMethod(amqp::Method& method) {
  return std::visit(
      [&](auto& m) -> Status {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, amqp::BasicPublish>) return StartPublish(m);
        else if constexpr (std::is_same_v<M, amqp::BasicAck>)
          return SettleTags(m.delivery_tag.get(), m.multiple, Settle::kAck);
        else if constexpr (std::is_same_v<M, amqp::BasicNack>)
          return SettleTags(m.delivery_tag.get(), m.multiple, m.requeue ? Settle::kRequeue : Settle::kReject);
        else if constexpr (std::is_same_v<M, amqp::BasicReject>)
          return SettleTags(m.delivery_tag.get(), false, m.requeue ? Settle::kRequeue : Settle::kReject);
        else if constexpr (std::is_same_v<M, amqp::BasicConsume>) return Consume(m);
        else if constexpr (std::is_same_v<M, amqp::BasicCancel>) return Cancel(m);
        else if constexpr (std::is_same_v<M, amqp::BasicGet>) return Get(m);
        else if constexpr (std::is_same_v<M, amqp::BasicQos>) return Qos(m);
        else if constexpr (std::is_same_v<M, amqp::BasicRecover>) {
          WARREN_TRY(Recover(m.requeue));
          Reply(amqp::BasicRecoverOk{});
          return Status::OK();
        } else if constexpr (std::is_same_v<M, amqp::BasicRecoverAsync>)
          return Recover(m.requeue);
        else if constexpr (std::is_same_v<M, amqp::ExchangeDeclare>) return ExchangeDeclare(m);
        else if constexpr (std::is_same_v<M, amqp::ExchangeDelete>) return ExchangeDelete(m);
        else if constexpr (std::is_same_v<M, amqp::ExchangeBind>) return ExchangeBind(m, true);
        else if constexpr (std::is_same_v<M, amqp::ExchangeUnbind>)
          return ExchangeBind(amqp::ExchangeBind{m.destination, m.source, m.routing_key, m.no_wait, m.arguments},
                              false);
        else if constexpr (std::is_same_v<M, amqp::QueueDeclare>) return QueueDeclare(m);
        else if constexpr (std::is_same_v<M, amqp::QueueBind>) return QueueBind(m);
        else if constexpr (std::is_same_v<M, amqp::QueueUnbind>) return QueueUnbind(m);
        else if constexpr (std::is_same_v<M, amqp::QueuePurge>) return QueuePurge(m);
        else if constexpr (std::is_same_v<M, amqp::QueueDelete>) return QueueDelete(m);
        else if constexpr (std::is_same_v<M, amqp::ConfirmSelect>) return ConfirmSelect(m);
        else if constexpr (std::is_same_v<M, amqp::TxSelect>) return TxSelect();
        else if constexpr (std::is_same_v<M, amqp::TxCommit>) return TxCommit();
        else if constexpr (std::is_same_v<M, amqp::TxRollback>) return TxRollback();
        else if constexpr (std::is_same_v<M, amqp::ChannelFlow>) {
          flow_active_ = m.active;
          Reply(amqp::ChannelFlowOk{m.active});
          if (flow_active_) Kick();
          return Status::OK();
        } else {
          return Refuse(amqp::kCommandInvalid,
                        "unexpected method '" + std::string(M::kName) + "' on channel " +
                            std::to_string(id_.get()));
        }
      },
      method);
}

bool Channel::CanDeliver(const Consumer& c) const {
  if (closing_ || !flow_active_ || conn_.write_blocked()) return false;
  if (c.no_ack) return true;
  if (c.prefetch != 0 && c.unacked >= c.prefetch) return false;
  return channel_prefetch_ == 0 || unacked_.size() < channel_prefetch_;
}

void Channel::Deliver(Consumer& c, Entry entry) {
  const uint64_t tag = ++next_tag_;
  const Message& m = *entry.message;
  (void)amqp::WriteContentEncoded(
      conn_.out(), id_,
      amqp::BasicDeliver{ConsumerTag(c.tag), DeliveryTag(tag), entry.redelivered,
                         ExchangeName(m.exchange), m.routing_key},
      m.encoded_properties, m.body, conn_.frame_max());
  auto& counters = conn_.core().counters;
  ++counters.messages_delivered;
  if (entry.redelivered) ++counters.messages_redelivered;
  if (c.no_ack) {
    c.queue->Forget(entry);
  } else {
    ++c.unacked;
    c.queue->add_unacked(1);
    unacked_.push_back(Unacked{tag, c.queue->shared_from_this(), c.shared_from_this(), std::move(entry)});
  }
  conn_.ScheduleFlush();
}

void Channel::Kick() {
  const int64_t now = Core::NowMs();
  // Copy: draining may cancel consumers (a queue expiring its last message).
  std::vector<Queue*> queues;
  for (auto& [tag, c] : consumers_)
    if (std::find(queues.begin(), queues.end(), c->queue) == queues.end()) queues.push_back(c->queue);
  for (Queue* q : queues) q->Drain(now);
}

Status Channel::Qos(const amqp::BasicQos& m) {
  if (m.prefetch_size != 0)
    return Refuse(amqp::kNotImplemented, "prefetch_size!=0 (" + std::to_string(m.prefetch_size) + ")");
  // RabbitMQ's meaning: global=false limits each new consumer, global=true the channel.
  if (m.global) channel_prefetch_ = m.prefetch_count;
  else consumer_prefetch_ = m.prefetch_count;
  Reply(amqp::BasicQosOk{});
  Kick();
  return Status::OK();
}

Status Channel::Consume(const amqp::BasicConsume& m) {
  if (IsReplyQueue(m.queue.get())) return ConsumeReplies(m);
  const std::string name = QueueNameOrLast(m.queue.get());
  WARREN_TRY(conn_.Check(Connection::Access::kRead, "queue", name));
  WARREN_ASSIGN_OR_RETURN(Queue * q, vhost().UsableQueue(name, conn_.owner()));
  std::string tag = m.consumer_tag.get();
  if (tag.empty()) {
    do tag = RandomName("amq.ctag-");
    while (consumers_.count(tag));
  } else if (consumers_.count(tag)) {
    return Refuse(amqp::kNotAllowed, "attempt to reuse consumer tag '" + tag + "'");
  }
  for (const Consumer* other : q->consumers()) {
    if (m.exclusive || other->exclusive)
      return Refuse(amqp::kAccessRefused, ResourceName("queue", name, vhost().name()) + " in exclusive use");
  }
  int priority = 0;
  if (const auto* v = m.arguments.Find("x-priority")) {
    auto p = FieldInt(*v);
    if (!p)
      return Refuse(amqp::kPreconditionFailed, "invalid arg 'x-priority' for " +
                                                   ResourceName("queue", name, vhost().name()) +
                                                   ": {unacceptable_type," + FieldTypeName(*v) +
                                                   "}");
    priority = int(*p);
  }
  auto c = std::make_shared<Consumer>();
  c->tag = tag;
  c->channel = this;
  c->queue = q;
  c->no_ack = m.no_ack;
  c->exclusive = m.exclusive;
  c->priority = priority;
  c->prefetch = consumer_prefetch_;
  c->args = m.arguments;
  if (q->home()) return ConsumeRemote(std::move(c), m.no_wait);
  consumers_[tag] = c;
  q->AddConsumer(c.get());
  if (!m.no_wait) Reply(amqp::BasicConsumeOk{ConsumerTag(tag)});
  q->Drain(Core::NowMs());
  return Status::OK();
}

void Channel::DetachConsumer(std::shared_ptr<Consumer> c, bool tell_queue) {
  consumers_.erase(c->tag);
  if (tell_queue) vhost().ConsumerLeft(*c->queue, c.get());
}

Status Channel::Cancel(const amqp::BasicCancel& m) {
  auto it = consumers_.find(m.consumer_tag.get());
  if (it != consumers_.end()) DetachConsumer(it->second, true);
  else CancelReplies(m.consumer_tag.get());
  if (!m.no_wait) Reply(amqp::BasicCancelOk{m.consumer_tag});
  return Status::OK();
}

void Channel::ConsumerGone(Consumer& c) {
  auto it = consumers_.find(c.tag);
  if (it == consumers_.end()) return;
  std::shared_ptr<Consumer> keep = it->second;
  consumers_.erase(it);
  if (conn_.cancel_notify()) {
    Reply(amqp::BasicCancel{ConsumerTag(c.tag), true});
    conn_.ScheduleFlush();
  }
}

Status Channel::Get(const amqp::BasicGet& m) {
  const std::string name = QueueNameOrLast(m.queue.get());
  WARREN_TRY(conn_.Check(Connection::Access::kRead, "queue", name));
  WARREN_ASSIGN_OR_RETURN(Queue * q, vhost().UsableQueue(name, conn_.owner()));
  if (q->home()) return GetRemote(*q, m.no_ack);
  auto entry = q->Get(Core::NowMs());
  if (!entry) {
    Reply(amqp::BasicGetEmpty{});
    return Status::OK();
  }
  SendGetOk(*q, std::move(*entry), uint32_t(q->ready()), m.no_ack);
  return Status::OK();
}

void Channel::SendGetOk(Queue& q, Entry entry, uint32_t left, bool no_ack) {
  const uint64_t tag = ++next_tag_;
  const Message& msg = *entry.message;
  (void)amqp::WriteContentEncoded(
      conn_.out(), id_,
      amqp::BasicGetOk{DeliveryTag(tag), entry.redelivered, ExchangeName(msg.exchange),
                       msg.routing_key, left},
      msg.encoded_properties, msg.body, conn_.frame_max());
  ++conn_.core().counters.messages_delivered;
  if (no_ack) {
    q.Forget(entry);
  } else {
    q.add_unacked(1);
    unacked_.push_back(Unacked{tag, q.shared_from_this(), nullptr, std::move(entry)});
  }
}

Status Channel::SettleTags(uint64_t tag, bool multiple, Settle how) {
  if (tx_) {
    // Checked now, applied on commit.
    if (!multiple && tag != 0 && std::none_of(unacked_.begin(), unacked_.end(),
                                              [&](const Unacked& u) { return u.tag == tag; }))
      return Refuse(amqp::kPreconditionFailed, "unknown delivery tag " + std::to_string(tag));
    tx_settles_.emplace_back(tag, multiple, how);
    return Status::OK();
  }
  return SettleNow(tag, multiple, how);
}

Status Channel::SettleNow(uint64_t tag, bool multiple, Settle how) {
  std::vector<Unacked> done;
  if (multiple) {
    // Tag 0 with multiple: everything outstanding.
    const uint64_t upto = tag == 0 ? next_tag_ : tag;
    if (tag != 0 && (unacked_.empty() || unacked_.front().tag > tag) &&
        std::none_of(unacked_.begin(), unacked_.end(), [&](const Unacked& u) { return u.tag <= upto; }))
      return Refuse(amqp::kPreconditionFailed, "unknown delivery tag " + std::to_string(tag));
    while (!unacked_.empty() && unacked_.front().tag <= upto) {
      done.push_back(std::move(unacked_.front()));
      unacked_.pop_front();
    }
  } else {
    auto it = std::lower_bound(unacked_.begin(), unacked_.end(), tag,
                               [](const Unacked& u, uint64_t t) { return u.tag < t; });
    if (it == unacked_.end() || it->tag != tag)
      return Refuse(amqp::kPreconditionFailed, "unknown delivery tag " + std::to_string(tag));
    done.push_back(std::move(*it));
    unacked_.erase(it);
  }
  std::vector<Queue*> touched;
  // Requeued in reverse so each goes back before the later ones.
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    Unacked& u = *it;
    if (u.consumer && u.consumer->unacked > 0) --u.consumer->unacked;
    u.queue->add_unacked(-1);
    if (how == Settle::kAck) ++conn_.core().counters.messages_acknowledged;
    if (how == Settle::kRequeue) u.queue->Requeue(std::move(u.entry));
    else u.queue->Settle(std::move(u.entry), how == Settle::kReject);
    if (std::find(touched.begin(), touched.end(), u.queue.get()) == touched.end())
      touched.push_back(u.queue.get());
  }
  const int64_t now = Core::NowMs();
  for (Queue* q : touched) q->Drain(now);
  Kick();
  return Status::OK();
}

Status Channel::Recover(bool requeue) {
  if (!requeue) return Refuse(amqp::kNotImplemented, "requeue=false");
  return SettleNow(0, true, Settle::kRequeue);
}

void Channel::Release() {
  EndReplies();
  // Consumers first, so requeued messages do not come straight back here.
  auto consumers = consumers_;
  for (auto& [tag, c] : consumers) DetachConsumer(c, true);
  std::vector<std::shared_ptr<Queue>> touched;
  while (!unacked_.empty()) {
    Unacked u = std::move(unacked_.back());
    unacked_.pop_back();
    u.queue->add_unacked(-1);
    u.queue->Requeue(std::move(u.entry));
    if (std::find(touched.begin(), touched.end(), u.queue) == touched.end())
      touched.push_back(u.queue);
  }
  const int64_t now = Core::NowMs();
  for (const auto& q : touched) q->Drain(now);
  publishing_.reset();
  tx_publishes_.clear();
  tx_settles_.clear();
}

}  // namespace warren::broker
