#include "broker/remote_home.h"

#include <asio.hpp>

#include "amqp/codec_error.h"
#include "base/log.h"
#include "base/node_env.h"
#include "broker/channel.h"
#include "broker/core.h"
#include "broker/field_json.h"
#include "broker/peer_link.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

using peer::FieldReader;
using peer::FrameWriter;
using peer::Op;

constexpr int64_t kRetryMs = 1000;  // after a failed dial, operations fail at once this long
constexpr int64_t kAnswerWithinMs = 15000;

// The code and text of a kReply: OK, the refusal it carries, or BadInput when malformed.
Status ReplyStatus(FieldReader& r) {
  (void)r.U64();
  auto code = r.U16();
  auto text = r.Str();
  if (!code.ok() || !text.ok()) return Status::BadInput("malformed reply from the peer");
  if (*code != 0) return amqp::CodecError(*code, std::string(*text));
  return Status::OK();
}

// A kReply carrying two counts: them, or its refusal.
Result<std::pair<uint64_t, uint64_t>> Counts(const peer::Frame& f) {
  FieldReader r(f.payload);
  WARREN_TRY(ReplyStatus(r));
  auto a = r.U64();
  auto b = r.U64();
  if (!a.ok() || !b.ok()) return Status::BadInput("malformed reply from the peer");
  return std::make_pair(*a, *b);
}

}  // namespace

RemoteHome::RemoteHome(Core& core, std::string node)
    : core_(core), node_(std::move(node)), watch_(core.io) {}

RemoteHome::~RemoteHome() {
  *alive_ = false;
  watch_.cancel();
  if (link_) link_->Detach();
}

Status RemoteHome::Down(const std::string& vhost, const std::string& queue) const {
  return Refuse(amqp::kNotFound, "home node '" + HolderNode(node_) + "' of durable " +
                                     ResourceName("queue", queue, vhost) +
                                     " is down or inaccessible");
}

template <typename Done>
void RemoteHome::Later(Done done, Status error) {
  // Never from inside the caller: it has not finished what it was doing.
  asio::post(core_.io, [done = std::move(done), error = std::move(error), alive = std::weak_ptr<bool>(alive_)] {
    if (!alive.expired()) done(error);
  });
}

bool RemoteHome::Unreachable() const {
  return !link_ && !dialing_ && Core::NowMs() < down_until_;
}

std::string& RemoteHome::Out() {
  if (!link_ && !dialing_) Dial();
  WriteBatched();  // settlements before what follows them, as the client sent them
  return out_;
}

void RemoteHome::Send() {
  if (send_posted_) return;
  send_posted_ = true;
  // Once the current batch of input has been handled: its frames go out together.
  asio::post(core_.io, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    send_posted_ = false;
    if (!link_) return;
    ToLink();
    link_->Flush();
  });
}

void RemoteHome::Dial() {
  dialing_ = true;
  if (!core_.options.dial_peer) {
    asio::post(core_.io, [this, alive = std::weak_ptr<bool>(alive_)] {
      if (!alive.expired()) Broke(Status::Unavailable("this node is not clustered"));
    });
    return;
  }
  core_.options.dial_peer(core_.options.node_name, node_, [this, alive = std::weak_ptr<bool>(alive_)](int fd, std::string error) {
    if (alive.expired()) {
      if (fd >= 0) ::close(fd);
      return;
    }
    dialing_ = false;
    if (fd < 0) {
      log::Warning("cannot reach node " + node_ + " for its queues: " + error);
      Broke(Status::Unavailable(error));
      return;
    }
    Connected(fd);
  });
}

void RemoteHome::Connected(int fd) {
  ++epoch_;
  link_ = std::make_shared<PeerLink>(core_.io, fd, node_);
  PeerLink::Handlers h;
  h.frame = [this](const peer::Frame& f) { return OnFrame(f); };
  h.batch_end = [this] { ToLink(); };
  // Publishers held back by this link's backlog read again.
  h.drained = [this] { Unthrottle(); };
  h.closed = [this](const Status& why) { Broke(why); };
  link_->Start(std::move(h));
  Send();
}

void RemoteHome::Broke(const Status& why) {
  if (link_) log::Warning("lost the link to node " + node_ + ": " + why.message());
  if (link_) link_->Detach();
  link_.reset();
  dialing_ = false;
  down_until_ = Core::NowMs() + kRetryMs;
  out_.clear();
  credits_.clear();
  for (auto& s : settles_) s.clear();
  // What waited on the member fails; it requeues what it had delivered.
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, p] : pending) p.handler(nullptr, Down(p.vhost, p.queue));
  auto confirms = std::move(confirms_);
  confirms_.clear();
  for (const auto& c : confirms)
    if (auto it = core_.channels.find(c.channel); it != core_.channels.end())
      it->second->RemoteConfirmed(c.seq, false);
  auto consumers = std::move(consumers_);
  consumers_.clear();
  for (auto& [id, c] : consumers) Gone(*c, false);
  flowing_.clear();
  Unthrottle();
}

void RemoteHome::ToLink() {
  WriteBatched();
  link_->out().append(out_);
  out_.clear();
}

void RemoteHome::Unthrottle() {
  for (auto& [key, v] : core_.vhosts)
    for (const auto& [name, q] : v->queues())
      if (q->home() == this && !flowing_.count({key, name})) q->set_remote_backlogged(false);
}

void RemoteHome::Gone(Consumer& c, bool requeue_buffered) {
  c.remote_id = 0;
  if (requeue_buffered)
    for (const Entry& e : c.remote_buffer) Settle(e, peer::Settle::kRequeue);
  c.remote_buffer.clear();
  c.queue->RemoveConsumer(&c);
  c.channel->ConsumerGone(c);
}

bool RemoteHome::Publish(const Queue& q, const Message& m, uint64_t channel, uint64_t seq) {
  if (Unreachable()) return false;
  const uint64_t id = channel ? ++next_id_ : 0;
  FrameWriter w(Out(), Op::kPublish);
  w.U64(id).Str(q.vhost_name()).Str(q.name());
  AppendMessage(out_, m);
  w.Finish();
  if (id) confirms_.push_back({id, channel, seq});
  Send();
  if (link_ && link_->write_blocked())
    const_cast<Queue&>(q).set_remote_backlogged(true);
  return true;
}

bool RemoteHome::PublishReply(const std::string& token, const Message& m) {
  if (Unreachable()) return false;
  FrameWriter w(Out(), Op::kDirectReply);
  w.Str(token);
  AppendMessage(out_, m);
  w.Finish();
  Send();
  return true;
}

uint64_t RemoteHome::Request(const Queue& q, Handler h) {
  return Request(q.vhost_name(), q.name(), std::move(h));
}

uint64_t RemoteHome::Request(const std::string& vhost, const std::string& queue, Handler h) {
  const uint64_t id = ++next_id_;
  pending_[id] = Pending{vhost, queue, std::move(h), Core::NowMs()};
  Watch();
  return id;
}

void RemoteHome::Watch() {
  if (watching_ || pending_.empty()) return;
  watching_ = true;
  watch_.expires_after(std::chrono::seconds(1));
  watch_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](std::error_code ec) {
    if (ec || alive.expired()) return;
    watching_ = false;
    if (pending_.empty()) return;
    // Requests are answered in order: the oldest is the first.
    if (Core::NowMs() - pending_.begin()->second.asked_at >= kAnswerWithinMs)
      Broke(Status::Unavailable("node " + node_ + " did not answer within " +
                                std::to_string(kAnswerWithinMs / 1000) + " seconds"));
    Watch();
  });
}

void RemoteHome::Declare(const std::string& vhost, const QueueSpec& spec, Declared done) {
  if (Unreachable()) {
    Later([done](const Status& s) { done(s, false); }, Down(vhost, spec.name));
    return;
  }
  const uint64_t req = Request(vhost, spec.name, [done](const peer::Frame* f, const Status& s) {
    if (!f) return done(s, false);
    done(Counts(*f), true);
  });
  const uint8_t flags = (spec.durable ? 1 : 0) | (spec.auto_delete ? 2 : 0);
  FrameWriter(Out(), Op::kDeclare).U64(req).Str(vhost).Str(spec.name).U8(flags)
      .Str(FieldTableToJson(spec.args).dump()).Finish();
  Send();
}

void RemoteHome::Consume(Consumer& c, uint32_t credit, std::function<void(Status)> done) {
  const Queue& q = *c.queue;
  if (Unreachable()) return Later(std::move(done), Down(q.vhost_name(), q.name()));
  const uint64_t cid = ++next_id_;
  std::weak_ptr<Consumer> weak = c.shared_from_this();
  const uint64_t req = Request(q, [this, weak, cid, done](const peer::Frame* f, const Status& s) {
    auto c = weak.lock();
    Status result = s;
    if (f) {
      FieldReader r(f->payload);
      result = ReplyStatus(r);
    }
    if (result.ok() && c) {
      c->remote_id = cid;
      consumers_[cid] = c.get();
    } else if (result.ok()) {
      // The channel went while the member was answering.
      FrameWriter(Out(), Op::kCancel).U64(cid).Finish();
      Send();
    }
    done(result);
  });
  uint8_t flags = (c.no_ack ? 1 : 0) | (c.exclusive ? 2 : 0);
  FrameWriter w(Out(), Op::kConsume);
  w.U64(req).U64(cid).Str(q.vhost_name()).Str(q.name()).Str(c.tag).U8(flags)
      .U32(uint32_t(c.priority)).U32(credit);
  w.Finish();
  Send();
}

void RemoteHome::Cancel(Consumer& c) {
  const uint64_t cid = c.remote_id;
  c.remote_id = 0;
  if (cid == 0 || !consumers_.erase(cid)) return;
  credits_.erase(cid);
  FrameWriter(Out(), Op::kCancel).U64(cid).Finish();
  for (const Entry& e : c.remote_buffer) Settle(e, peer::Settle::kRequeue);
  c.remote_buffer.clear();
  Send();
}

void RemoteHome::Credit(Consumer& c, uint32_t more) {
  if (c.remote_id == 0 || !link_) return;
  credits_[c.remote_id] += more;
  Send();
}

void RemoteHome::WriteBatched() {
  if (!link_) return;
  for (const auto& [cid, n] : credits_) FrameWriter(out_, Op::kCredit).U64(cid).U32(n).Finish();
  credits_.clear();
  for (int how = 0; how < 3; ++how) {
    auto& ids = settles_[how];
    if (ids.empty()) continue;
    FrameWriter w(out_, Op::kSettle);
    w.U8(uint8_t(how)).U32(uint32_t(ids.size()));
    for (uint64_t id : ids) w.U64(id);
    w.Finish();
    ids.clear();
  }
}

void RemoteHome::Settle(const Entry& e, peer::Settle how) {
  // A delivery of an earlier link: the member requeued it when that link broke.
  if (e.link != epoch_ || !link_) return;
  settles_[int(how)].push_back(e.seq);
  Send();
}

void RemoteHome::Get(const Queue& q, bool no_ack,
                     std::function<void(Result<std::optional<Got>>)> done) {
  if (Unreachable()) return Later(std::move(done), Down(q.vhost_name(), q.name()));
  const uint32_t epoch_then = epoch_ + (link_ ? 0 : 1);
  const uint64_t req = Request(q, [done, epoch_then](const peer::Frame* f, const Status& s) {
    if (!f) return done(s);
    FieldReader r(f->payload);
    (void)r.U64();
    if (f->op == Op::kReply) {
      FieldReader reply(f->payload);
      Status s = ReplyStatus(reply);
      if (!s.ok()) return done(s);
      return done(std::optional<Got>());
    }
    auto delivery = r.U64();
    auto redelivered = r.U8();
    auto left = r.U32();
    if (!delivery.ok() || !redelivered.ok() || !left.ok())
      return done(Status::BadInput("malformed reply from the peer"));
    auto m = DeserializeMessage(r.Rest());
    if (!m.ok()) return done(m.status());
    Entry e{std::move(m).value(), *delivery, 0, *redelivered != 0, false, epoch_then};
    return done(std::optional<Got>(Got{std::move(e), *left}));
  });
  FrameWriter(Out(), Op::kGet).U64(req).Str(q.vhost_name()).Str(q.name()).U8(no_ack ? 1 : 0).Finish();
  Send();
}

void RemoteHome::QueueOp(const Queue& q, peer::QueueOp op, uint8_t flags,
                         std::function<void(Result<std::pair<uint64_t, uint64_t>>)> done) {
  if (Unreachable()) return Later(std::move(done), Down(q.vhost_name(), q.name()));
  const uint64_t req = Request(q, [done](const peer::Frame* f, const Status& s) {
    if (!f) return done(s);
    done(Counts(*f));
  });
  FrameWriter(Out(), Op::kQueueOp).U64(req).U8(uint8_t(op)).Str(q.vhost_name()).Str(q.name())
      .U8(flags).Finish();
  Send();
}

Status RemoteHome::OnFrame(const peer::Frame& f) {
  FieldReader r(f.payload);
  switch (f.op) {
    case Op::kDeliver: return OnDeliver(r);
    case Op::kConfirm: return OnConfirm(r);
    case Op::kCancelled: return OnCancelled(r);
    case Op::kFlow: return OnFlow(r);
    case Op::kReply:
    case Op::kGetOk: {
      WARREN_ASSIGN_OR_RETURN(uint64_t req, r.U64());
      auto it = pending_.find(req);
      if (it == pending_.end()) return Status::OK();
      Handler h = std::move(it->second.handler);
      pending_.erase(it);
      h(&f, Status::OK());
      return Status::OK();
    }
    default:
      return Status::BadInput("unexpected peer frame " + std::to_string(int(f.op)));
  }
}

Status RemoteHome::OnDeliver(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t cid, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint64_t delivery, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint8_t redelivered, r.U8());
  WARREN_ASSIGN_OR_RETURN(MessagePtr m, DeserializeMessage(r.Rest()));
  Entry e{std::move(m), delivery, 0, redelivered != 0, false, epoch_};
  auto it = consumers_.find(cid);
  if (it == consumers_.end()) {
    // Cancelled while this was on its way: it goes back.
    Settle(e, peer::Settle::kRequeue);
    return Status::OK();
  }
  Consumer* c = it->second;
  if (c->remote_buffer.empty() && c->channel->CanDeliver(*c)) {
    c->channel->Deliver(*c, std::move(e));
    credits_[cid] += 1;
  } else {
    c->remote_buffer.push_back(std::move(e));
  }
  return Status::OK();
}

Status RemoteHome::OnCancelled(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t cid, r.U64());
  auto it = consumers_.find(cid);
  if (it == consumers_.end()) return Status::OK();
  Consumer* c = it->second;
  consumers_.erase(it);
  credits_.erase(cid);
  Gone(*c, true);
  return Status::OK();
}

Status RemoteHome::OnConfirm(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t first, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint64_t last, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint8_t ack, r.U8());
  // Confirms come in publish order.
  while (!confirms_.empty() && confirms_.front().id <= last) {
    const ConfirmWait c = confirms_.front();
    confirms_.pop_front();
    if (c.id < first) continue;
    if (auto it = core_.channels.find(c.channel); it != core_.channels.end())
      it->second->RemoteConfirmed(c.seq, ack != 0);
  }
  return Status::OK();
}

Status RemoteHome::OnFlow(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(uint8_t on, r.U8());
  std::pair<std::string, std::string> key{std::string(vhost), std::string(queue)};
  if (on) flowing_.insert(key);
  else flowing_.erase(key);
  auto v = core_.vhosts.find(key.first);
  if (v == core_.vhosts.end()) return Status::OK();
  auto q = v->second->FindQueue(key.second);
  if (q && q->home() == this) q->set_remote_backlogged(on != 0);
  return Status::OK();
}

}  // namespace warren::broker
