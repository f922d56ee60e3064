#include "broker/home_session.h"
#include "broker/channel.h"

#include <algorithm>
#include <vector>

#include "amqp/codec_error.h"
#include "base/log.h"
#include "broker/core.h"
#include "broker/field_json.h"
#include "broker/peer_link.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

using peer::FieldReader;
using peer::FrameWriter;
using peer::Op;

}  // namespace

HomeSession::HomeSession(Core& core, std::shared_ptr<PeerLink> link)
    : core_(core), link_(std::move(link)) {}

HomeSession::~HomeSession() {
  *alive_ = false;
  link_->Detach();
}

const std::string& HomeSession::peer() const { return link_->peer(); }

void HomeSession::Start() {
  log::Info("node " + peer() + " opened a link to use this node's queues");
  PeerLink::Handlers h;
  h.frame = [this](const peer::Frame& f) { return OnFrame(f); };
  h.batch_end = [this] {
    core_.CommitMessages();
    FlushConfirms();
  };
  h.drained = [this] {
    const int64_t now = Core::NowMs();
    std::vector<Queue*> queues;
    for (auto& [id, c] : consumers_) queues.push_back(c->queue);
    for (Queue* q : queues) q->Drain(now);
  };
  h.closed = [this](const Status& why) {
    log::Info("node " + peer() + " closed its link" + (why.ok() ? "" : ": " + why.message()));
    End();
  };
  link_->Start(std::move(h));
}

Status HomeSession::OnFrame(const peer::Frame& f) {
  FieldReader r(f.payload);
  switch (f.op) {
    case Op::kPublish: return OnPublish(r);
    case Op::kDirectReply: return OnDirectReply(r);
    case Op::kConsume: return OnConsume(r);
    case Op::kCredit: return OnCredit(r);
    case Op::kSettle: return OnSettle(r);
    case Op::kCancel: return OnCancel(r);
    case Op::kGet: return OnGet(r);
    case Op::kQueueOp: return OnQueueOp(r);
    case Op::kDeclare: return OnDeclare(r);
    default: return Status::BadInput("unexpected peer frame " + std::to_string(int(f.op)));
  }
}

Result<std::shared_ptr<Queue>> HomeSession::LocalQueue(std::string_view vhost,
                                                       std::string_view name, Vhost** where) {
  Vhost* v = core_.FindVhost(std::string(vhost));
  auto q = v ? v->FindQueue(std::string(name)) : nullptr;
  if (!q || q->home())
    return Refuse(amqp::kNotFound, "no " + ResourceName("queue", std::string(name), std::string(vhost)));
  if (where) *where = v;
  return q;
}

void HomeSession::Reply(uint64_t request, const Status& s, uint64_t a, uint64_t b) {
  const uint16_t code = s.ok() ? 0 : amqp::ReplyCodeOf(s).value_or(amqp::kInternalError);
  FrameWriter(link_->out(), Op::kReply).U64(request).U16(code).Str(s.ok() ? "" : s.message())
      .U64(a).U64(b).Finish();
  link_->ScheduleFlush();  // a reply may come later than the input that asked (OnDeclare)
}

Status HomeSession::OnPublish(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t id, r.U64());
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(MessagePtr m, DeserializeMessage(r.Rest()));
  bool ack = true;
  // A queue deleted meanwhile routes the message nowhere: confirmed, as unroutable ones are.
  if (auto q = LocalQueue(vhost, queue); q.ok()) {
    ack = (*q)->Enqueue(std::move(m), Core::NowMs()) == EnqueueResult::kAccepted;
    if ((*q)->backlogged()) Throttle(**q);
  }
  if (id != 0) confirms_.Add(id, ack);
  return Status::OK();
}

Status HomeSession::OnDirectReply(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(std::string_view token, r.Str());
  WARREN_ASSIGN_OR_RETURN(MessagePtr m, DeserializeMessage(r.Rest()));
  // A consumer gone meanwhile: the reply goes nowhere, as RabbitMQ drops it.
  if (auto it = core_.reply_channels.find(std::string(token)); it != core_.reply_channels.end())
    it->second->DeliverReply(*m);
  return Status::OK();
}

void HomeSession::Throttle(Queue& q) {
  std::pair<std::string, std::string> key{q.vhost_name(), q.name()};
  if (!throttled_.insert(key).second) return;
  FrameWriter(link_->out(), Op::kFlow).Str(key.first).Str(key.second).U8(1).Finish();
  q.WhenDrained([this, key, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired() || !throttled_.erase(key)) return;
    FrameWriter(link_->out(), Op::kFlow).Str(key.first).Str(key.second).U8(0).Finish();
    link_->ScheduleFlush();
  });
}

void HomeSession::FlushConfirms() {
  confirms_.Flush(
      core_,
      [&](uint64_t first, uint64_t last) {
        FrameWriter(link_->out(), Op::kConfirm).U64(first).U64(last).U8(1).Finish();
      },
      [&](uint64_t seq) { FrameWriter(link_->out(), Op::kConfirm).U64(seq).U64(seq).U8(0).Finish(); });
}

void HomeSession::ConfirmsResolved() {
  FlushConfirms();
  link_->Flush();
}

Status HomeSession::OnConsume(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t request, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint64_t cid, r.U64());
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view tag, r.Str());
  WARREN_ASSIGN_OR_RETURN(uint8_t flags, r.U8());
  WARREN_ASSIGN_OR_RETURN(uint32_t priority, r.U32());
  WARREN_ASSIGN_OR_RETURN(uint32_t credit, r.U32());
  auto q = LocalQueue(vhost, queue);
  if (!q.ok()) {
    Reply(request, q.status());
    return Status::OK();
  }
  const bool exclusive = flags & 2;
  for (const Consumer* other : (*q)->consumers()) {
    if (exclusive || other->exclusive) {
      Reply(request, Refuse(amqp::kAccessRefused,
                            ResourceName("queue", std::string(queue), std::string(vhost)) +
                                " in exclusive use"));
      return Status::OK();
    }
  }
  if (consumers_.count(cid)) return Status::BadInput("consumer " + std::to_string(cid) + " twice");
  auto c = std::make_shared<Consumer>();
  c->tag = std::string(tag);
  c->channel = this;
  c->queue = q->get();
  c->no_ack = flags & 1;
  c->exclusive = exclusive;
  c->priority = int(int32_t(priority));
  c->remote_id = cid;
  c->credit = credit;
  consumers_[cid] = c;
  (*q)->AddConsumer(c.get());
  Reply(request, Status::OK());  // before any delivery, so the member knows the consumer
  (*q)->Drain(Core::NowMs());
  return Status::OK();
}

Status HomeSession::OnCredit(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t cid, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint32_t more, r.U32());
  auto it = consumers_.find(cid);
  if (it == consumers_.end()) return Status::OK();  // cancelled meanwhile
  it->second->credit += more;
  it->second->queue->Drain(Core::NowMs());
  return Status::OK();
}

bool HomeSession::CanDeliver(const Consumer& c) const {
  return c.credit > 0 && !link_->closed() && !link_->write_blocked();
}

void HomeSession::Deliver(Consumer& c, Entry entry) {
  const uint64_t id = ++next_delivery_;
  FrameWriter w(link_->out(), Op::kDeliver);
  w.U64(c.remote_id).U64(id).U8(entry.redelivered ? 1 : 0);
  AppendMessage(link_->out(), *entry.message);
  w.Finish();
  --c.credit;
  if (c.no_ack) {
    c.queue->Forget(entry);
  } else {
    c.queue->add_unacked(1);
    unacked_.emplace(id, Unacked{c.queue->shared_from_this(), std::move(entry)});
  }
  link_->ScheduleFlush();
}

void HomeSession::ConsumerGone(Consumer& c) {
  auto it = consumers_.find(c.remote_id);
  if (it == consumers_.end()) return;
  FrameWriter(link_->out(), Op::kCancelled).U64(c.remote_id).Finish();
  link_->ScheduleFlush();
  consumers_.erase(it);
}

Status HomeSession::OnSettle(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint8_t how, r.U8());
  WARREN_ASSIGN_OR_RETURN(uint32_t n, r.U32());
  if (how > uint8_t(peer::Settle::kRequeue)) return Status::BadInput("unknown settlement");
  std::vector<Queue*> touched;
  for (uint32_t i = 0; i < n; ++i) {
    WARREN_ASSIGN_OR_RETURN(uint64_t id, r.U64());
    auto it = unacked_.find(id);
    if (it == unacked_.end()) continue;
    Unacked u = std::move(it->second);
    unacked_.erase(it);
    u.queue->add_unacked(-1);
    switch (peer::Settle(how)) {
      case peer::Settle::kAck: u.queue->Settle(std::move(u.entry), false); break;
      case peer::Settle::kReject: u.queue->Settle(std::move(u.entry), true); break;
      case peer::Settle::kRequeue: u.queue->Requeue(std::move(u.entry)); break;
    }
    if (std::find(touched.begin(), touched.end(), u.queue.get()) == touched.end())
      touched.push_back(u.queue.get());
  }
  const int64_t now = Core::NowMs();
  for (Queue* q : touched) q->Drain(now);
  return Status::OK();
}

Status HomeSession::OnCancel(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t cid, r.U64());
  auto it = consumers_.find(cid);
  if (it == consumers_.end()) return Status::OK();
  std::shared_ptr<Consumer> c = it->second;
  consumers_.erase(it);
  Left(*c);
  return Status::OK();
}

Status HomeSession::OnGet(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t request, r.U64());
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(uint8_t no_ack, r.U8());
  auto q = LocalQueue(vhost, queue);
  if (!q.ok()) {
    Reply(request, q.status());
    return Status::OK();
  }
  auto entry = (*q)->Get(Core::NowMs());
  if (!entry) {
    Reply(request, Status::OK());  // get-empty
    return Status::OK();
  }
  const uint64_t id = ++next_delivery_;
  FrameWriter w(link_->out(), Op::kGetOk);
  w.U64(request).U64(id).U8(entry->redelivered ? 1 : 0).U32(uint32_t((*q)->ready()));
  AppendMessage(link_->out(), *entry->message);
  w.Finish();
  if (no_ack) {
    (*q)->Forget(*entry);
  } else {
    (*q)->add_unacked(1);
    unacked_.emplace(id, Unacked{*q, std::move(*entry)});
  }
  return Status::OK();
}

Status HomeSession::OnQueueOp(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t request, r.U64());
  WARREN_ASSIGN_OR_RETURN(uint8_t op, r.U8());
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(uint8_t flags, r.U8());
  Vhost* v = nullptr;
  auto q = LocalQueue(vhost, queue, &v);
  if (!q.ok()) {
    Reply(request, q.status());
    return Status::OK();
  }
  switch (peer::QueueOp(op)) {
    case peer::QueueOp::kInfo:
      Reply(request, Status::OK(), (*q)->ready(), (*q)->consumers().size());
      return Status::OK();
    case peer::QueueOp::kPurge:
      Reply(request, Status::OK(), (*q)->Purge());
      return Status::OK();
    case peer::QueueOp::kDelete: {
      auto n = v->DeleteQueue(std::string(queue), flags & 1, flags & 2, nullptr);
      Reply(request, n.status(), n.ok() ? *n : 0);
      return Status::OK();
    }
  }
  return Status::BadInput("unknown queue operation " + std::to_string(op));
}

Status HomeSession::OnDeclare(FieldReader& r) {
  WARREN_ASSIGN_OR_RETURN(uint64_t request, r.U64());
  WARREN_ASSIGN_OR_RETURN(std::string_view vhost, r.Str());
  WARREN_ASSIGN_OR_RETURN(std::string_view queue, r.Str());
  WARREN_ASSIGN_OR_RETURN(uint8_t flags, r.U8());
  WARREN_ASSIGN_OR_RETURN(std::string_view args_json, r.Str());
  Vhost* v = core_.FindVhost(std::string(vhost));
  if (!v) {
    Reply(request, Refuse(amqp::kNotFound, "no vhost '" + std::string(vhost) + "'"));
    return Status::OK();
  }
  auto doc = nlohmann::json::parse(args_json, nullptr, false);
  auto args = FieldTableFromJson(doc);
  if (doc.is_discarded() || !args.ok()) return Status::BadInput("malformed queue arguments");
  QueueSpec spec{std::string(queue), bool(flags & 1), false, bool(flags & 2), std::move(args).value(),
                 nullptr};
  // Answered once the metadata has it (a commit through the leader): the link goes on
  // meanwhile.
  auto made = v->DeclareQueue(std::move(spec), false,
                              [this, alive = std::weak_ptr<bool>(alive_), request](
                                  Result<std::shared_ptr<Queue>> q) {
                                if (alive.expired()) return;
                                if (q.ok()) Reply(request, Status::OK(), (*q)->ready(), (*q)->consumers().size());
                                else Reply(request, q.status());
                              });
  if (!made.ok()) Reply(request, made.status());
  return Status::OK();
}

void HomeSession::Left(Consumer& c) {
  if (Vhost* v = core_.FindVhost(c.queue->vhost_name())) v->ConsumerLeft(*c.queue, &c);
}

void HomeSession::Drop() {
  link_->Detach();
  End();
}

void HomeSession::End() {
  // As when a client connection closes: consumers first, then what they had unsettled
  // goes back, in order.
  auto consumers = std::move(consumers_);
  consumers_.clear();
  for (auto& [id, c] : consumers) Left(*c);
  std::vector<std::pair<uint64_t, Unacked>> unacked(unacked_.begin(), unacked_.end());
  unacked_.clear();
  std::sort(unacked.begin(), unacked.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::shared_ptr<Queue>> touched;
  for (auto& [id, u] : unacked) {
    u.queue->add_unacked(-1);
    u.queue->Requeue(std::move(u.entry));
    if (std::find(touched.begin(), touched.end(), u.queue) == touched.end()) touched.push_back(u.queue);
  }
  const int64_t now = Core::NowMs();
  for (const auto& q : touched) q->Drain(now);
  confirms_.clear();
  // Last: this may destroy the session.
  core_.sessions.erase(this);
}

}  // namespace warren::broker
