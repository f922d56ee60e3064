// basic.publish assembly and routing, publisher confirms, transactions.
#include "amqp/codec_error.h"
#include "broker/channel.h"
#include "broker/connection.h"
#include "broker/remote_home.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

using Access = Connection::Access;

constexpr uint16_t kNoRoute = 312;  // basic.return's reply code for an unroutable message

// Permissions name the default exchange "amq.default", as RabbitMQ does.
std::string PermissionName(const std::string& exchange) {
  return exchange.empty() ? "amq.default" : exchange;
}

}  // namespace

Status Channel::StartPublish(amqp::BasicPublish& m) {
  publishing_.emplace();
  publishing_->method = std::move(m);
  return Status::OK();
}

Status Channel::OnHeader(const amqp::HeaderEvent& h) {
  if (!publishing_) return Refuse(amqp::kUnexpectedFrame, "content header without basic.publish");
  const uint64_t max = conn_.core().options.max_message_size;
  if (h.body_size > max)
    return Refuse(amqp::kPreconditionFailed, "message size " + std::to_string(h.body_size) +
                                                 " is larger than configured max size " +
                                                 std::to_string(max));
  publishing_->properties = h.properties;
  publishing_->body_size = h.body_size;
  publishing_->body.reserve(h.body_size);
  if (h.body_size == 0) return FinishPublish();
  return Status::OK();
}

Status Channel::OnBody(const amqp::BodyEvent& b) {
  if (!publishing_ || !publishing_->properties)
    return Refuse(amqp::kUnexpectedFrame, "content body without basic.publish");
  publishing_->body.append(b.bytes);
  if (b.last) return FinishPublish();
  return Status::OK();
}

Status Channel::FinishPublish() {
  PendingPublish p = std::move(*publishing_);
  publishing_.reset();
  conn_.NotePublished();
  ++conn_.core().counters.messages_received;
  const std::string& xname = p.method.exchange.get();
  Exchange* x = vhost().FindExchange(xname);
  if (!x) return Refuse(amqp::kNotFound, "no " + ResourceName("exchange", xname, vhost().name()));
  WARREN_TRY(conn_.Check(Access::kWrite, "exchange", PermissionName(xname)));
  if (x->spec().internal)
    return Refuse(amqp::kAccessRefused,
                  "cannot publish to internal " + ResourceName("exchange", xname, vhost().name()));
  if (x->spec().type == ExchangeType::kTopic)
    WARREN_TRY(conn_.CheckTopic(Access::kWrite, xname, p.method.routing_key));
  if (const auto& uid = p.properties->user_id; uid && *uid != conn_.user())
    return Refuse(amqp::kPreconditionFailed, "user_id property set to '" + *uid +
                                                 "' but authenticated user was '" + conn_.user() +
                                                 "'");
  if (tx_) {
    tx_publishes_.push_back(std::move(p));
    return Status::OK();
  }
  return Publish(std::move(p), x);
}

Status Channel::Publish(PendingPublish p, Exchange* x) {
  const uint64_t seq = confirm_ ? ++publish_seq_ : 0;
  if (!x) x = vhost().FindExchange(p.method.exchange.get());
  auto msg = std::make_shared<Message>();
  msg->exchange = p.method.exchange.get();
  msg->routing_key = std::move(p.method.routing_key);
  msg->properties = std::move(*p.properties);
  msg->body = std::move(p.body);
  WARREN_TRY(AddressReplies(msg->properties));
  WARREN_TRY(msg->properties.Encode(msg->encoded_properties));

  std::vector<Queue*> targets;
  bool replied = false;
  if (RouteReply(*msg, replied)) {
    if (replied) {
      ++conn_.core().counters.messages_routed;
      if (seq != 0) confirms_.Add(seq, true);
      return Status::OK();
    }
  } else if (x) {
    vhost().Route(*x, *msg, targets);
  }
  auto& counters = conn_.core().counters;
  bool rejected = false;
  uint32_t remote = 0;
  if (targets.empty()) {
    if (p.method.mandatory) {
      ++counters.messages_unroutable_returned;
      (void)amqp::WriteContentEncoded(
          conn_.out(), id_,
          amqp::BasicReturn{kNoRoute, "NO_ROUTE", ExchangeName(msg->exchange), msg->routing_key},
          msg->encoded_properties, msg->body, conn_.frame_max());
    } else {
      ++counters.messages_unroutable_dropped;
    }
  } else {
    ++counters.messages_routed;
    MessagePtr stored = msg;
    if (msg->properties.headers && msg->properties.headers->Find("BCC")) {
      // BCC routes but is not shown to consumers.
      amqp::BasicProperties props = msg->properties;
      std::erase_if(props.headers->entries, [](const amqp::FieldEntry& e) { return e.name == "BCC"; });
      WARREN_ASSIGN_OR_RETURN(stored, WithProperties(*msg, std::move(props)));
    }
    const int64_t now = Core::NowMs();
    for (Queue* q : targets) {
      if (RemoteHome* home = q->home()) {
        // Held by another member: confirmed once that member has it.
        if (!home->Publish(*q, *stored, seq ? serial_ : 0, seq)) rejected = true;
        else if (seq) ++remote;
      } else if (q->Enqueue(stored, now) == EnqueueResult::kRejected) {
        rejected = true;
      }
      if (q->backlogged()) conn_.ThrottleOn(*q);
    }
  }
  if (seq != 0) confirms_.Add(seq, !rejected, remote);
  return Status::OK();
}

void Channel::FlushConfirms() {
  Core& core = conn_.core();
  core.counters.messages_confirmed += confirms_.Flush(
      core, [&](uint64_t, uint64_t last) { Reply(amqp::BasicAck{DeliveryTag(last), true}); },
      [&](uint64_t seq) { Reply(amqp::BasicNack{DeliveryTag(seq), false, false}); });
}

void Channel::RemoteConfirmed(uint64_t seq, bool ack) {
  confirms_.RemoteConfirmed(seq, ack);
  FlushConfirms();
  conn_.ScheduleFlush();
}

Status Channel::ConfirmSelect(const amqp::ConfirmSelect& m) {
  if (tx_) return Refuse(amqp::kPreconditionFailed, "cannot switch from tx to confirm mode");
  confirm_ = true;
  if (!m.nowait) Reply(amqp::ConfirmSelectOk{});
  return Status::OK();
}

Status Channel::TxSelect() {
  if (confirm_) return Refuse(amqp::kPreconditionFailed, "cannot switch from confirm to tx mode");
  tx_ = true;
  Reply(amqp::TxSelectOk{});
  return Status::OK();
}

Status Channel::TxCommit() {
  if (!tx_) return Refuse(amqp::kPreconditionFailed, "channel is not transactional");
  auto publishes = std::move(tx_publishes_);
  auto settles = std::move(tx_settles_);
  tx_publishes_.clear();
  tx_settles_.clear();
  for (auto& p : publishes) WARREN_TRY(Publish(std::move(p), nullptr));
  for (const auto& [tag, multiple, how] : settles) WARREN_TRY(SettleNow(tag, multiple, how));
  Reply(amqp::TxCommitOk{});
  return Status::OK();
}

Status Channel::TxRollback() {
  if (!tx_) return Refuse(amqp::kPreconditionFailed, "channel is not transactional");
  tx_publishes_.clear();
  tx_settles_.clear();
  Reply(amqp::TxRollbackOk{});
  return Status::OK();
}

}  // namespace warren::broker
