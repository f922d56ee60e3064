// A client connection moving to the shard that holds the queues it uses (handover.h):
// where a channel's method sends its traffic, whether the connection may move, and the
// move itself, from both ends.
#include <cstring>
#include <utility>

#include "amqp/codec_error.h"
#include "base/log.h"
#include "broker/channel.h"
#include "broker/connection.h"
#include "broker/remote_home.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

// The sibling shard holding `q`, or "" when this shard (or another member) holds it.
std::string ShardHolding(const Queue& q, const Core& core) {
  if (!q.home()) return "";
  const std::string& holder = q.home()->node();
  return core.options.is_shard && core.options.is_shard(holder) ? holder : "";
}

}  // namespace

Channel::Channel(Connection& conn, const ChannelState& s) : Channel(conn, ChannelId(s.id)) {
  flow_active_ = s.flow_active;
  next_tag_ = s.next_tag;
  consumer_prefetch_ = s.consumer_prefetch;
  channel_prefetch_ = s.channel_prefetch;
  last_queue_ = s.last_queue;
  confirm_ = s.confirm;
  publish_seq_ = s.publish_seq;
  tx_ = s.tx;
  if (!s.reply_tag.empty()) ListenForReplies(s.reply_tag);
}

ChannelState Channel::Save() const {
  return ChannelState{id_.get(), flow_active_, next_tag_,    consumer_prefetch_,
                      channel_prefetch_, last_queue_, confirm_, publish_seq_,
                      tx_,               reply_tag_};
}

bool Channel::Movable() const {
  return !closing_ && consumers_.empty() && unacked_.empty() && confirms_.size() == 0 &&
         tx_publishes_.empty() && tx_settles_.empty() && !publishing_ &&
         (reply_token_.empty() || !reply_addressed_);
}

std::optional<std::string> Channel::HolderUsed(const amqp::Method& method) {
  Core& core = conn_.core();
  Vhost& v = vhost();
  // A queue by name: its holder, nullopt when there is none.
  auto holder_of = [&](const std::string& name) -> std::optional<std::string> {
    if (name.empty() || IsReplyQueue(name)) return std::nullopt;
    auto q = v.FindQueue(name);
    if (!q) return std::nullopt;
    return ShardHolding(*q, core);
  };
  if (auto* m = std::get_if<amqp::QueueDeclare>(&method)) {
    const std::string& name = m->queue.get();
    if (name.empty()) return "";  // a new server-named queue, held here
    auto holder = holder_of(name);
    if (!holder && !m->passive) return "";  // declared here
    return holder;
  }
  if (auto* m = std::get_if<amqp::BasicConsume>(&method)) return holder_of(QueueNameOrLast(m->queue.get()));
  if (auto* m = std::get_if<amqp::BasicGet>(&method)) return holder_of(QueueNameOrLast(m->queue.get()));
  if (auto* m = std::get_if<amqp::BasicPublish>(&method)) {
    const std::string& xname = m->exchange.get();
    if (xname.empty()) return holder_of(m->routing_key);
    const Exchange* x = v.FindExchange(xname);
    if (!x) return std::nullopt;
    std::vector<Queue*> queues;
    v.RouteKey(*x, m->routing_key, queues);
    if (queues.empty()) return std::nullopt;
    const std::string first = ShardHolding(*queues.front(), core);
    for (const Queue* q : queues)
      if (ShardHolding(*q, core) != first) return "";  // several holders: stay
    return first;
  }
  return std::nullopt;  // qos, confirm.select, exchanges, bindings: nothing yet
}

bool Connection::MoveFor(Channel& ch, const amqp::Method& m) {
  std::optional<std::string> holder = ch.HolderUsed(m);
  if (!holder) return false;
  placed_ = true;  // whatever comes of it, the connection moves at most once
  if (holder->empty() || state_ != State::kRunning || throttled_ || alarm_blocked_ ||
      !held_.empty())
    return false;
  for (const auto& [id, c] : channels_)
    if (!c->Movable()) return false;
  moving_ = true;  // `m` is held first (HandleEvents), then the input after it
  move_to_ = *holder;
  suspended_ = true;
  return true;
}

void Connection::MaybeHandOver() {
  if (!moving_ || writing_ || reading_ || !out_.empty() || state_ != State::kRunning) return;
  HandOver();
}

void Connection::HandOver() {
  auto self = shared_from_this();  // the registry below may hold the last reference
  auto h = std::make_shared<Handover>();
  h->session = session_;
  h->vhost = vhost_->name();
  h->tallied_channels = tallied_channels_;
  for (const auto& [id, ch] : channels_) h->channels.push_back(ch->Save());
  h->held = std::move(held_);  // their bytes stay where they are: a deque's move keeps them
  h->held_bytes = std::move(held_bytes_);
  held_.clear();
  held_bytes_.clear();
  h->decoder = decoder_;
  h->input.assign(in_.data(), in_len_);
  h->input_error = std::move(input_error_);
  std::error_code ec;
  h->fd = socket_.release(ec);
  if (ec) {
    log::Warning("cannot move AMQP connection " + session_.peer + " to " + move_to_ + ": " + ec.message());
    moving_ = false;
    Shutdown();
    return;
  }
  // The limits' counts and the channels go with it: nothing is counted closed here.
  admitted_vhost_.reset();
  tallied_channels_ = 0;
  channels_.clear();
  state_ = State::kDead;
  heartbeat_timer_.cancel();
  core_.connections.erase(this);
  log::Debug("AMQP connection " + session_.peer + " moves to " + move_to_ + ", which holds its queues");
  core_.options.hand_over(move_to_, std::move(h));
}

void Connection::Adopt(Handover& h) {
  core_.connections.emplace(this, shared_from_this());
  session_ = h.session;
  admitted_vhost_ = h.vhost;
  tallied_channels_ = h.tallied_channels;
  placed_ = true;
  state_ = State::kRunning;
  decoder_ = h.decoder;
  in_.assign(h.input.begin(), h.input.end());
  in_.resize(std::max(in_.size(), kMinReadBuffer));
  in_len_ = h.input.size();
  std::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  vhost_ = core_.FindVhost(h.vhost);
  if (!vhost_) {
    // Deleted while the connection moved.
    ConnectionError(Refuse(amqp::kConnectionForced, "vhost '" + h.vhost + "' is deleted"), nullptr);
    Flush();
    Read();
    return;
  }
  (void)LoadGrants();
  for (const ChannelState& c : h.channels) channels_.emplace(c.id, std::make_unique<Channel>(*this, c));
  StartHeartbeats();
  if (!HandleEvents(h.held)) return;
  if (h.input_error && state_ == State::kRunning) ConnectionError(*h.input_error, nullptr);
  EndBatch();
  if (!reading_ && CanRead()) Read();
}

}  // namespace warren::broker
