// exchange.* and queue.* methods: permission checks, then the vhost's model.
#include <memory>
#include <optional>

#include "amqp/codec_error.h"
#include "broker/channel.h"
#include "broker/connection.h"
#include "broker/vhost.h"

namespace warren::broker {
namespace {

using Access = Connection::Access;

}  // namespace

Status Channel::AfterCommit(const amqp::Method& m,
                            const std::function<Status(std::function<void(Status)>)>& start,
                            std::function<Status(Channel&)> finish) {
  struct Answer {
    bool returned = false;             // start returned: the answer is late
    std::optional<Status> early;       // the answer, when it came before
  };
  auto answer = std::make_shared<Answer>();
  Core& core = conn_.core();
  Status started = start([answer, &core, serial = serial_, finish, m](Status s) {
    if (!answer->returned) {
      answer->early = std::move(s);
      return;
    }
    Channel* ch = BySerial(core, serial);
    if (!ch) return;
    // The reply goes out before anything held back is handled; a reply that is itself
    // an answer from another member (a stand-in's) suspends the connection again, and
    // that answer resumes it.
    Connection& conn = ch->conn_;
    if (s.ok()) {
      conn.Unsuspend();
      s = finish(*ch);
      if (s.ok() && conn.suspended()) return;
    }
    conn.Resume(*ch, s, &m);
  });
  answer->returned = true;
  WARREN_TRY(started);
  if (answer->early) {
    WARREN_TRY(*answer->early);
    return finish(*this);
  }
  conn_.Suspend();
  return Status::OK();
}

std::string Channel::QueueNameOrLast(const std::string& name) const {
  return name.empty() ? last_queue_ : name;
}

Status Channel::ExchangeDeclare(const amqp::ExchangeDeclare& m) {
  const std::string& name = m.exchange.get();
  if (name.empty()) {
    // The default exchange always exists; declaring it is allowed only as it is.
    if (!m.passive && m.type != "direct")
      return Refuse(amqp::kAccessRefused, "operation not permitted on the default exchange");
  } else if (!m.passive) {
    WARREN_TRY(conn_.Check(Access::kConfigure, "exchange", name));
  }
  ExchangeSpec spec{name, ExchangeType::kDirect, m.durable, m.auto_delete, m.internal, m.arguments};
  if (!m.passive) {
    if (!vhost().SetExchangeType(spec, m.type))
      return Refuse(amqp::kCommandInvalid, "unknown exchange type '" + m.type + "'");
    if (const auto* ae = m.arguments.Find("alternate-exchange")) {
      if (const auto* s = std::get_if<std::string>(&ae->value)) {
        WARREN_TRY(conn_.Check(Access::kWrite, "exchange", *s));
        WARREN_TRY(conn_.Check(Access::kRead, "exchange", name));
      }
    }
  }
  const bool no_wait = m.no_wait;
  auto finish = [no_wait](Channel& ch) {
    if (!no_wait) ch.Reply(amqp::ExchangeDeclareOk{});
    return Status::OK();
  };
  if (name.empty()) return finish(*this);
  return AfterCommit(m, [&](Vhost::Committed then) {
    return vhost().DeclareExchange(spec, m.passive, std::move(then));
  }, finish);
}

Status Channel::ExchangeDelete(const amqp::ExchangeDelete& m) {
  const std::string& name = m.exchange.get();
  if (!name.empty()) WARREN_TRY(conn_.Check(Access::kConfigure, "exchange", name));
  WARREN_TRY(vhost().DeleteExchange(name, m.if_unused));
  if (!m.no_wait) Reply(amqp::ExchangeDeleteOk{});
  return Status::OK();
}

Status Channel::ExchangeBind(const amqp::ExchangeBind& m, bool bind) {
  const std::string &src = m.source.get(), &dst = m.destination.get();
  WARREN_TRY(conn_.Check(Access::kWrite, "exchange", dst));
  WARREN_TRY(conn_.Check(Access::kRead, "exchange", src));
  Exchange* x = vhost().FindExchange(src);
  if (x && x->spec().type == ExchangeType::kTopic)
    WARREN_TRY(conn_.CheckTopic(Access::kRead, src, m.routing_key));
  const Destination d{dst, true};
  if (bind) {
    const bool no_wait = m.no_wait;
    return AfterCommit(m, [&](Vhost::Committed then) {
      return vhost().Bind(src, d, m.routing_key, m.arguments, std::move(then));
    }, [no_wait](Channel& ch) {
      if (!no_wait) ch.Reply(amqp::ExchangeBindOk{});
      return Status::OK();
    });
  } else {
    WARREN_TRY(vhost().Unbind(src, d, m.routing_key, m.arguments));
    if (!m.no_wait) Reply(amqp::ExchangeUnbindOk{});
  }
  return Status::OK();
}

Status Channel::QueueDeclare(amqp::QueueDeclare& m) {
  std::string name = m.queue.get();
  if (name.empty() && !m.passive) {
    name = RandomName("amq.gen-");
  } else if (name.empty()) {
    name = last_queue_;
  } else if (!m.passive && name.rfind("amq.", 0) == 0 && !vhost().FindQueue(name)) {
    return Refuse(amqp::kAccessRefused,
                  "queue name '" + name + "' contains reserved prefix 'amq.*'");
  }
  if (!m.passive) {
    WARREN_TRY(conn_.Check(Access::kConfigure, "queue", name));
    if (const auto* dlx = m.arguments.Find("x-dead-letter-exchange")) {
      if (const auto* s = std::get_if<std::string>(&dlx->value)) {
        WARREN_TRY(conn_.Check(Access::kWrite, "exchange", *s));
        WARREN_TRY(conn_.Check(Access::kRead, "queue", name));
      }
    }
  }
  QueueSpec spec{name, m.durable, m.exclusive, m.auto_delete, m.arguments, conn_.owner()};
  if (!m.passive && !m.exclusive && !vhost().FindQueue(name)) {
    // A new queue goes where its locator places it; another member declares it there.
    WARREN_TRY(ValidateQueueArgs(spec.args, name, vhost().name()));
    const std::string node = conn_.core().PlaceQueue(vhost().Locator(name, spec.args));
    if (node != conn_.core().options.node_name) return DeclareElsewhere(node, std::move(spec), m.no_wait);
  }
  // The queue the store's answer settles on (another member's, if it declared it first).
  auto settled = std::make_shared<std::shared_ptr<Queue>>();
  last_queue_ = name;
  return AfterCommit(m, [&](Vhost::Committed then) {
    return vhost().DeclareQueue(std::move(spec), m.passive,
                                [settled, then = std::move(then)](Result<std::shared_ptr<Queue>> r) {
                                  if (r.ok()) *settled = *r;
                                  then(r.status());
                                }).status();
  }, [settled, m, name](Channel& ch) {
    Queue& q = **settled;
    if (q.home() && !m.no_wait) return ch.QueueOpRemote(q, m);
    if (!m.no_wait)
      ch.Reply(amqp::QueueDeclareOk{QueueName(name), uint32_t(q.ready()), uint32_t(q.consumers().size())});
    return Status::OK();
  });
}

Status Channel::QueueBind(const amqp::QueueBind& m) {
  const std::string name = QueueNameOrLast(m.queue.get());
  const std::string& src = m.exchange.get();
  WARREN_TRY(conn_.Check(Access::kWrite, "queue", name));
  WARREN_TRY(conn_.Check(Access::kRead, "exchange", src));
  Exchange* x = vhost().FindExchange(src);
  if (x && x->spec().type == ExchangeType::kTopic)
    WARREN_TRY(conn_.CheckTopic(Access::kRead, src, m.routing_key));
  if (vhost().FindQueue(name)) WARREN_TRY(vhost().UsableQueue(name, conn_.owner()).status());
  const bool no_wait = m.no_wait;
  return AfterCommit(m, [&](Vhost::Committed then) {
    return vhost().Bind(src, Destination{name, false}, m.routing_key, m.arguments, std::move(then));
  }, [no_wait](Channel& ch) {
    if (!no_wait) ch.Reply(amqp::QueueBindOk{});
    return Status::OK();
  });
}

Status Channel::QueueUnbind(const amqp::QueueUnbind& m) {
  const std::string name = QueueNameOrLast(m.queue.get());
  const std::string& src = m.exchange.get();
  WARREN_TRY(conn_.Check(Access::kWrite, "queue", name));
  WARREN_TRY(conn_.Check(Access::kRead, "exchange", src));
  if (vhost().FindQueue(name)) WARREN_TRY(vhost().UsableQueue(name, conn_.owner()).status());
  WARREN_TRY(vhost().Unbind(src, Destination{name, false}, m.routing_key, m.arguments));
  Reply(amqp::QueueUnbindOk{});
  return Status::OK();
}

Status Channel::QueuePurge(const amqp::QueuePurge& m) {
  const std::string name = QueueNameOrLast(m.queue.get());
  WARREN_TRY(conn_.Check(Access::kRead, "queue", name));
  WARREN_ASSIGN_OR_RETURN(Queue * q, vhost().UsableQueue(name, conn_.owner()));
  if (q->home()) return QueueOpRemote(*q, m);
  const size_t n = q->Purge();
  if (!m.no_wait) Reply(amqp::QueuePurgeOk{uint32_t(n)});
  return Status::OK();
}

Status Channel::QueueDelete(const amqp::QueueDelete& m) {
  const std::string name = QueueNameOrLast(m.queue.get());
  WARREN_TRY(conn_.Check(Access::kConfigure, "queue", name));
  if (auto q = vhost().FindQueue(name); q && q->home()) return QueueOpRemote(*q, m);
  WARREN_ASSIGN_OR_RETURN(size_t n, vhost().DeleteQueue(name, m.if_unused, m.if_empty, conn_.owner()));
  if (!m.no_wait) Reply(amqp::QueueDeleteOk{uint32_t(n)});
  return Status::OK();
}

}  // namespace warren::broker
