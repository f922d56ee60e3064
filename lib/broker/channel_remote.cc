// Channel methods on a stand-in queue (remote_home.h): the member that holds the queue
// answers, and the connection reads nothing more until it has.
#include "amqp/codec_error.h"
#include "broker/channel.h"
#include "broker/connection.h"
#include "broker/field_json.h"
#include "broker/remote_home.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

// Deliveries a consumer with no prefetch limit may have in flight from the member.
constexpr uint32_t kRemoteWindow = 2000;

}  // namespace

Channel* Channel::BySerial(Core& core, uint64_t serial) {
  auto it = core.channels.find(serial);
  return it == core.channels.end() ? nullptr : it->second;
}

Status Channel::ConsumeRemote(std::shared_ptr<Consumer> c, bool no_wait) {
  RemoteHome* home = c->queue->home();
  uint32_t credit = kRemoteWindow;
  if (!c->no_ack && c->prefetch != 0) credit = c->prefetch;
  else if (!c->no_ack && channel_prefetch_ != 0) credit = channel_prefetch_;
  conn_.Suspend();
  Core& core = conn_.core();
  home->Consume(*c, credit, [&core, serial = serial_, c, no_wait](Status s) {
    Channel* ch = Channel::BySerial(core, serial);
    if (!ch) {
      if (s.ok()) c->queue->home()->Cancel(*c);
      return;
    }
    if (s.ok()) {
      ch->consumers_[c->tag] = c;
      c->queue->AddConsumer(c.get());
      if (!no_wait) ch->Reply(amqp::BasicConsumeOk{ConsumerTag(c->tag)});
      c->queue->Drain(Core::NowMs());
    }
    const amqp::Method m = amqp::BasicConsume{};
    ch->conn_.Resume(*ch, s, &m);
  });
  return Status::OK();
}

Status Channel::GetRemote(Queue& q, bool no_ack) {
  conn_.Suspend();
  Core& core = conn_.core();
  auto keep = q.shared_from_this();
  q.home()->Get(q, no_ack, [&core, serial = serial_, keep, no_ack](Result<std::optional<RemoteHome::Got>> r) {
    Channel* ch = Channel::BySerial(core, serial);
    if (!ch) {
      // Nobody to give it to: it goes back.
      if (r.ok() && *r && !no_ack) keep->home()->Settle((*r)->entry, peer::Settle::kRequeue);
      return;
    }
    if (r.ok() && !*r) ch->Reply(amqp::BasicGetEmpty{});
    else if (r.ok()) ch->SendGetOk(*keep, std::move((*r)->entry), (*r)->left, no_ack);
    const amqp::Method m = amqp::BasicGet{};
    ch->conn_.Resume(*ch, r.status(), &m);
  });
  return Status::OK();
}

Status Channel::QueueOpRemote(Queue& q, const amqp::Method& m) {
  peer::QueueOp op = peer::QueueOp::kInfo;
  uint8_t flags = 0;
  bool reply = true;
  if (const auto* d = std::get_if<amqp::QueueDelete>(&m)) {
    op = peer::QueueOp::kDelete;
    flags = (d->if_unused ? 1 : 0) | (d->if_empty ? 2 : 0);
    reply = !d->no_wait;
  } else if (const auto* p = std::get_if<amqp::QueuePurge>(&m)) {
    op = peer::QueueOp::kPurge;
    reply = !p->no_wait;
  }
  conn_.Suspend();
  Core& core = conn_.core();
  q.home()->QueueOp(q, op, flags,
                    [&core, serial = serial_, name = q.name(), op, reply, m](
                        Result<std::pair<uint64_t, uint64_t>> r) {
                      Channel* ch = Channel::BySerial(core, serial);
                      if (!ch) return;
                      if (r.ok() && reply) {
                        const uint32_t a = uint32_t(r->first), b = uint32_t(r->second);
                        switch (op) {
                          case peer::QueueOp::kInfo:
                            ch->Reply(amqp::QueueDeclareOk{QueueName(name), a, b});
                            break;
                          case peer::QueueOp::kPurge: ch->Reply(amqp::QueuePurgeOk{a}); break;
                          case peer::QueueOp::kDelete: ch->Reply(amqp::QueueDeleteOk{a}); break;
                        }
                      }
                      // The member deleted it (and the metadata says so): no stand-in here.
                      if (r.ok() && op == peer::QueueOp::kDelete) ch->vhost().DropStandIn(name);
                      ch->conn_.Resume(*ch, r.status(), &m);
                    });
  return Status::OK();
}

Status Channel::DeclareElsewhere(const std::string& node, QueueSpec spec, bool no_wait) {
  conn_.Suspend();
  Core& core = conn_.core();
  const meta::Queue record{vhost().name(), spec.name, node, spec.durable, spec.auto_delete,
                           FieldTableToJson(spec.args)};
  const std::string vname = vhost().name();
  core.Home(node)->Declare(vname, spec, [&core, serial = serial_, record, spec, no_wait](
                                            Result<std::pair<uint64_t, uint64_t>> r, bool reached) {
    Channel* ch = Channel::BySerial(core, serial);
    if (!ch) return;
    const amqp::Method m = amqp::QueueDeclare{};
    Status outcome = r.status();
    uint32_t ready = 0, consumers = 0;
    if (r.ok()) {
      // Its record may not have reached this node yet: the stand-in is made from ours.
      if (!ch->vhost().FindQueue(record.name)) ch->vhost().MakeStandIn(record);
      ready = uint32_t(r->first);
      consumers = uint32_t(r->second);
    } else if (!reached) {
      // The member it was placed on is down: it goes here instead, as client-local would.
      auto local = ch->vhost().DeclareQueue(
          spec, false, [&core, serial, name = record.name, no_wait, m](Result<std::shared_ptr<Queue>> q) {
            Channel* ch = Channel::BySerial(core, serial);
            if (!ch) return;
            if (q.ok()) {
              ch->last_queue_ = name;
              if (!no_wait)
                ch->Reply(amqp::QueueDeclareOk{QueueName(name), uint32_t((*q)->ready()),
                                               uint32_t((*q)->consumers().size())});
            }
            ch->conn_.Resume(*ch, q.status(), &m);
          });
      if (!local.ok()) ch->conn_.Resume(*ch, local.status(), &m);
      return;
    }
    if (outcome.ok()) {
      ch->last_queue_ = record.name;
      if (!no_wait) ch->Reply(amqp::QueueDeclareOk{QueueName(record.name), ready, consumers});
    }
    ch->conn_.Resume(*ch, outcome, &m);
  });
  return Status::OK();
}

}  // namespace warren::broker
