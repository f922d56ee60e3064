// Direct reply-to (amq.rabbitmq.reply-to), as RabbitMQ offers it for RPC: a client
// consumes from the pseudo-queue "amq.rabbitmq.reply-to" without acknowledgements and
// publishes requests with that reply_to; the broker rewrites it to an address naming
// the channel, and a reply published to that address on the default exchange is
// delivered straight to the channel's consumer. The address ends with "~" and the
// holder of the channel (this node, or a shard of it): a reply published through
// another member or shard is sent there over the peer link.
#include "amqp/codec_error.h"
#include "broker/channel.h"
#include "broker/connection.h"
#include "broker/remote_home.h"

namespace warren::broker {
namespace {

constexpr std::string_view kReplyQueue = "amq.rabbitmq.reply-to";
constexpr std::string_view kReplyPrefix = "amq.rabbitmq.reply-to.";

}  // namespace

bool IsReplyQueue(const std::string& name) { return name == kReplyQueue; }

Status Channel::ConsumeReplies(const amqp::BasicConsume& m) {
  if (!m.no_ack)
    return Refuse(amqp::kPreconditionFailed, "reply consumer cannot acknowledge");
  if (!reply_tag_.empty())
    return Refuse(amqp::kPreconditionFailed, "reply consumer already set");
  ListenForReplies(m.consumer_tag.get().empty() ? RandomName("amq.ctag-") : m.consumer_tag.get());
  if (!m.no_wait) Reply(amqp::BasicConsumeOk{ConsumerTag(reply_tag_)});
  return Status::OK();
}

void Channel::ListenForReplies(std::string tag) {
  reply_tag_ = std::move(tag);
  reply_token_ = RandomName("") + "~" + conn_.core().options.node_name;
  reply_addressed_ = false;
  conn_.core().reply_channels[reply_token_] = this;
}

bool Channel::CancelReplies(const std::string& tag) {
  if (reply_tag_.empty() || tag != reply_tag_) return false;
  EndReplies();
  return true;
}

void Channel::EndReplies() {
  if (reply_token_.empty()) return;
  conn_.core().reply_channels.erase(reply_token_);
  reply_token_.clear();
  reply_tag_.clear();
}

Status Channel::AddressReplies(amqp::BasicProperties& props) {
  if (!props.reply_to || *props.reply_to != kReplyQueue) return Status::OK();
  if (reply_token_.empty())
    return Refuse(amqp::kPreconditionFailed, "fast reply consumer does not exist");
  props.reply_to = std::string(kReplyPrefix) + reply_token_;
  reply_addressed_ = true;
  return Status::OK();
}

bool Channel::RouteReply(const Message& m, bool& delivered) {
  delivered = false;
  if (!m.exchange.empty() || m.routing_key.rfind(kReplyPrefix, 0) != 0) return false;
  Core& core = conn_.core();
  const std::string token = m.routing_key.substr(kReplyPrefix.size());
  if (auto it = core.reply_channels.find(token); it != core.reply_channels.end()) {
    it->second->DeliverReply(m);
    delivered = true;
    return true;
  }
  const size_t at = token.rfind('~');
  const std::string holder = at == std::string::npos ? "" : token.substr(at + 1);
  // Only to a member or a shard that exists: the address comes from a client.
  if (!holder.empty() && holder != core.options.node_name && core.Reaches(holder))
    delivered = core.Home(holder)->PublishReply(token, m);
  return true;
}

void Channel::DeliverReply(const Message& m) {
  (void)amqp::WriteContentEncoded(
      conn_.out(), id_,
      amqp::BasicDeliver{ConsumerTag(reply_tag_), DeliveryTag(++next_tag_), false,
                         ExchangeName(m.exchange), m.routing_key},
      m.encoded_properties, m.body, conn_.frame_max());
  ++conn_.core().counters.messages_delivered;
  conn_.ScheduleFlush();
}

}  // namespace warren::broker
