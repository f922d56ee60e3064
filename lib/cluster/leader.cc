#include <filesystem>
#include <optional>

#include "base/fiber.h"
#include "base/log.h"
#include "cluster/internal/cluster_impl.h"
#include "meta/store.h"

namespace warren::cluster {

namespace fs = std::filesystem;

Status StatusFromReply(const json& body) {
  if (body.value("ok", false)) return Status::OK();
  auto kind = ErrorKindFromToken(body.value("kind", "internal"));
  return Status(kind.value_or(ErrorKind::kInternal), body.value("reason", ""),
                body.value("subject", ""));
}

json ReplyFromStatus(const Status& s) {
  if (s.ok()) return json{{"ok", true}};
  return json{{"ok", false},
              {"kind", std::string(ErrorKindToken(s.kind()))},
              {"reason", s.message()},
              {"subject", s.subject()}};
}

void ClusterImpl::OnRequest(const std::string& from, const json& req, Reply reply) {
  const std::string op = req.value("op", "");
  if (op == "facts") return reply(o_.local_facts ? o_.local_facts() : json::object());
  if (op == "ping") return reply(json::object());  // the leader's check that we are up
  if (op == "propose") return OnPropose(req, std::move(reply));
  if (op == "queues") {
    // Answered at once rather than from the Asio loop, as "facts" is: the member that
    // asks may be the one this node's own list_queues is waiting on.
    if (!o_.local_queues) return reply(Status::Unavailable("this node lists no queues"));
    return reply(o_.local_queues(req.value("vhost", "/")));
  }
  if (op == "control") {
    if (!o_.control) return reply(Status::Unavailable("this node takes no remote operations"));
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), req, reply]() {
      if (alive.expired()) return reply(Status::Unavailable("the node is stopping"));
      // On a fiber, as the control socket runs it: an operation waiting for its commit
      // lets this node's loop go on meanwhile.
      fiber::Start([control = o_.control, req, reply] { reply(control(req)); });
    });
    return;
  }
  if (op == "join" || op == "leave" || op == "set_type") {
    // These wait on the log; they run from the Asio loop, not inside this callback.
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), req, reply]() {
      if (alive.expired()) return reply(Status::Unavailable("the node is stopping"));
      reply(HandleOnLeader(req));
    });
    return;
  }
  reply(Status::BadInput("unknown inter-node request '" + op + "' from " + from));
}

void ClusterImpl::OnPropose(const json& req, Reply reply) {
  if (!raft_ || !req.contains("command"))
    return reply(Status::Unavailable("node " + o_.self + " is not clustered"));
  raft_->Propose(req["command"].dump(), [this, reply](Status s, uint64_t index) {
    if (!s.ok()) return reply(s);
    Nudge();
    json body = ReplyFromStatus(ResultAt(index));
    body["index"] = index;
    reply(body);
  });
}

Result<json> ClusterImpl::HandleJoin(const json& req) {
  const std::string node = req.value("node", "");
  const uint64_t id = req.value("raft_id", uint64_t(0));
  const std::string address = req.value("address", "");
  const std::string type = req.value("type", "disc");
  if (node.empty() || id == 0 || address.empty())
    return Status::BadInput("malformed join request");
  if (const ClusterMember* old = members_.Find(node)) {
    // The node was reset without telling us: its old membership goes first.
    WARREN_TRY(WaitDone([&](RaftLog::Done d) { raft_->Remove(old->id, std::move(d)); }));
  }
  WARREN_TRY(WaitDone([&](RaftLog::Done d) {
    if (type == "ram") raft_->AddStandby(id, address, std::move(d));
    else raft_->AddVoter(id, address, std::move(d));
  }, kJoinTimeout));
  WARREN_TRY(ProposeHere(json{{"op", "cluster.add_node"},
                              {"node", node},
                              {"id", id},
                              {"address", address},
                              {"type", type}}));
  log::Info("node " + node + " joined the cluster as a " + type + " node");
  return json{{"ok", true}};
}

Result<json> ClusterImpl::HandleLeave(const json& req) {
  const std::string node = req.value("node", "");
  const ClusterMember* m = members_.Find(node);
  if (!m) return Status::NotFound("{:not_a_cluster_node, 'The node selected is not in the cluster.'}", "node");
  const uint64_t id = m->id;
  if (node == o_.self) {
    // A leader hands over before it is removed; the caller then asks the new leader,
    // which may be the caller itself (it could not answer a request forwarded to it
    // while it waits for this one).
    Status t = WaitDone([&](RaftLog::Done d) { raft_->Transfer(0, std::move(d)); });
    if (!t.ok()) return t;
    return json{{"handed_over", true}};
  }
  WARREN_TRY(ProposeHere(json{{"op", "cluster.remove_node"}, {"node", node}}));
  WARREN_TRY(WaitDone([&](RaftLog::Done d) { raft_->Remove(id, std::move(d)); }));
  log::Info("node " + node + " was removed from the cluster");
  return json{{"ok", true}};
}

Result<json> ClusterImpl::HandleSetType(const json& req) {
  const std::string node = req.value("node", ""), type = req.value("type", "");
  const ClusterMember* m = members_.Find(node);
  if (!m) return Status::NotFound("{:not_a_cluster_node, 'The node selected is not in the cluster.'}", "node");
  if (type != "disc" && type != "ram") return Status::BadInput("unknown node type '" + type + "'");
  if (NodeTypeName(m->type) == type) return json{{"changed", false}};
  if (type == "ram") {
    size_t discs = 0;
    for (const auto& x : members_.List()) discs += x.type == NodeType::kDisc;
    if (discs <= 1)
      return Status::Precondition("{:cannot_change_type, 'Cannot convert the only disc node to ram'}");
  }
  const uint64_t id = m->id;
  WARREN_TRY(WaitDone([&](RaftLog::Done d) {
    raft_->Assign(id, type == "ram" ? Role::kStandby : Role::kVoter, std::move(d));
  }, kJoinTimeout));
  WARREN_TRY(ProposeHere(json{{"op", "cluster.set_type"}, {"node", node}, {"type", type}}));
  log::Info("node " + node + " is now a " + type + " node");
  return json{{"changed", true}};
}

Status ClusterImpl::Form() {
  std::error_code ec;
  fs::remove_all(o_.dir, ec);
  WARREN_TRY(OpenRaft());
  WARREN_TRY(raft_->Bootstrap({Member{RaftId(o_.self), Address(), Role::kVoter}}));
  WARREN_TRY(raft_->Start());
  if (!uv_->RunUntil([&] { return raft_->IsLeader(); }, kLeaderWait)) {
    DropRaft();
    return Status::Unavailable("node " + o_.self + " could not become the leader of a new cluster");
  }
  json members = json::array({json{{"node", o_.self},
                                   {"id", RaftId(o_.self)},
                                   {"address", Address()},
                                   {"type", "disc"}}});
  // The durable queues this node held alone are its own in the cluster.
  json definitions = o_.store->state().ToDefinitions();
  for (auto& q : definitions["queues"])
    if (!q.contains("node")) q["node"] = o_.self;
  Status s = ProposeHere(
      json{{"op", "meta.replace"}, {"definitions", definitions}, {"members", members}});
  if (!s.ok()) {
    DropRaft();
    return s;
  }
  ReplicateStore();
  log::Info("formed a cluster with node " + o_.self + " as its first member");
  return Status::OK();
}

Result<json> ClusterImpl::HandleOnLeader(const json& req) {
  const std::string op = req.value("op", "");
  if (!raft_) {
    // Only a join turns a standalone node into a cluster (of one, then two).
    if (op != "join") return Status::Unavailable("node " + o_.self + " is not clustered");
    WARREN_TRY(Form());
  }
  if (!raft_->IsLeader()) return ForwardToLeader(req, op == "join" ? kJoinTimeout : kCallTimeout);
  if (op == "join") return HandleJoin(req);
  if (op == "leave") return HandleLeave(req);
  return HandleSetType(req);
}

Result<json> ClusterImpl::AskLeader(const json& req) {
  if (raft_->IsLeader()) return HandleOnLeader(req);
  std::vector<std::string> via;
  if (auto leader = raft_->Leader()) via.push_back(leader->address);
  for (const auto& m : members_.List())
    if (m.node != o_.self) via.push_back(members_.Find(m.node)->address);
  Status last = Status::Unavailable("no other member of the cluster answers");
  for (const auto& address : via) {
    Result<json> r = CallAndWait(address, req, kCallTimeout);
    if (r.ok()) return r;
    last = r.status();
    if (last.kind() != ErrorKind::kUnavailable && last.kind() != ErrorKind::kTimeout) return last;
  }
  return last;
}

Status ClusterImpl::RemoveThroughLeader(const std::string& node) {
  const json req{{"op", "leave"}, {"node", node}};
  WARREN_ASSIGN_OR_RETURN(json r, AskLeader(req));
  if (!r.value("handed_over", false)) return Status::OK();
  // `node` led the cluster and handed over: the new leader removes it.
  const uint64_t id = RaftId(node);
  uv_->RunUntil([&] {
    auto leader = raft_->Leader();
    return leader && leader->id != id;
  }, kLeaderWait);
  WARREN_ASSIGN_OR_RETURN(r, AskLeader(req));
  if (r.value("handed_over", false))
    return Status::Unavailable("node " + node + " still leads the cluster after handing over; "
                               "try again");
  return Status::OK();
}

Status ClusterImpl::Replicate(const json& command) {
  if (!raft_) return Status::Unavailable("node " + o_.self + " is not clustered");
  const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
  Status last = Status::Unavailable("no leader");
  while (std::chrono::steady_clock::now() < deadline) {
    if (raft_->IsLeader()) {
      Status s = ProposeHere(command);
      if (s.ok() || s.kind() != ErrorKind::kUnavailable || raft_->IsLeader()) return s;
      // libraft cannot tell whether an entry in flight when leadership is lost will
      // commit: say so rather than retry and maybe apply it twice.
      return LostLeadership(s);
    }
    auto leader = raft_->Leader();
    if (!leader) {
      if (!LongLeaderless())
        uv_->RunUntil([&] { return raft_ && raft_->Leader().has_value(); }, kLeaderWait);
      if (!raft_->Leader()) return NoLeader();
      continue;
    }
    Result<json> r = CallAndWait(leader->address, {{"op", "propose"}, {"command", command}},
                                 kCallTimeout);
    if (!r.ok()) {
      last = r.status();
      if (r.status().kind() != ErrorKind::kUnavailable) return last;
      uv_->RunUntil([] { return false; }, 50ms);  // the leader may be changing
      continue;
    }
    const uint64_t index = r->value("index", uint64_t(0));
    if (!uv_->RunUntil([&] { return raft_->LastApplied() >= index; }, kCallTimeout))
      return Status::Timeout("the change was committed but has not reached this node yet");
    return StatusFromReply(*r);
  }
  return last;
}

Status ClusterImpl::LostLeadership(const Status& why) {
  return Status::Unavailable("this node lost the cluster's leadership while committing the "
                             "change, which may or may not take effect: a majority of its disc "
                             "nodes is not reachable (" + why.message() + ")");
}

Status ClusterImpl::NoLeader() {
  return Status::Unavailable("the cluster has no leader: a majority of its disc nodes is not "
                             "reachable, so metadata cannot change");
}

void ClusterImpl::ReplicateStore() {
  o_.store->SetReplicator([this](const json& c) { return Replicate(c); },
                          [this](const json& c, std::function<void(Status)> done) {
                            ReplicateAsync(c, std::move(done));
                          });
}

struct ClusterImpl::AsyncProposal {
  json command;
  std::function<void(Status)> done;
  std::chrono::steady_clock::time_point deadline;  // kCallTimeout from the start
  std::chrono::steady_clock::time_point leaderless_since{};
  Status last = Status::Unavailable("no leader");
};

void ClusterImpl::ReplicateAsync(const json& command, std::function<void(Status)> done) {
  auto p = std::make_shared<AsyncProposal>();
  p->command = command;
  // Always from a handler of its own, never from inside libraft's callbacks: what the
  // caller does next (another proposal) must not re-enter them.
  p->done = [this, done = std::move(done)](Status s) {
    asio::post(io_, [done, s = std::move(s)] { done(s); });
  };
  p->deadline = std::chrono::steady_clock::now() + kCallTimeout;
  TryReplicate(std::move(p));
}

// The steps of Replicate, each waiting by a callback or a timer instead of the loop.
void ClusterImpl::TryReplicate(std::shared_ptr<AsyncProposal> p) {
  if (!raft_) return p->done(Status::Unavailable("node " + o_.self + " is not clustered"));
  const auto now = std::chrono::steady_clock::now();
  if (now >= p->deadline) return p->done(p->last);
  if (raft_->IsLeader()) {
    raft_->Propose(p->command.dump(), [this, alive = std::weak_ptr<bool>(alive_), p](
                                          Status s, uint64_t index) {
      if (alive.expired()) return;
      if (!s.ok()) {
        // libraft fails an entry this way only when leadership goes (it may still
        // call itself leader inside this callback): as Replicate words it.
        return p->done(s.kind() == ErrorKind::kUnavailable ? LostLeadership(s) : s);
      }
      p->done(ResultAt(index));
      asio::post(io_, [this, alive] {
        if (!alive.expired()) Nudge();
      });
    });
    return;
  }
  auto leader = raft_->Leader();
  if (!leader) {
    if (p->leaderless_since == std::chrono::steady_clock::time_point{}) p->leaderless_since = now;
    if (now - p->leaderless_since >= kLeaderWait || LongLeaderless()) return p->done(NoLeader());
    return RetryReplicate(std::move(p), 20ms);
  }
  p->leaderless_since = {};
  dist_->Call(
      leader->address, {{"op", "propose"}, {"command", p->command}},
      [this, alive = std::weak_ptr<bool>(alive_), p](Result<json> r) {
        if (alive.expired()) return;
        if (!r.ok()) {
          p->last = r.status();
          if (r.status().kind() != ErrorKind::kUnavailable) return p->done(p->last);
          return RetryReplicate(p, 50ms);  // the leader may be changing
        }
        const uint64_t index = r->value("index", uint64_t(0));
        Status outcome = StatusFromReply(*r);
        WhenApplied(index, kCallTimeout, [p, outcome](bool applied) {
          p->done(applied ? outcome
                          : Status::Timeout("the change was committed but has not reached "
                                            "this node yet"));
        });
      },
      std::chrono::duration_cast<std::chrono::milliseconds>(kCallTimeout));
}

void ClusterImpl::RetryReplicate(std::shared_ptr<AsyncProposal> p, std::chrono::milliseconds after) {
  auto timer = std::make_shared<asio::steady_timer>(io_, after);
  timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), p, timer](std::error_code) {
    if (!alive.expired()) TryReplicate(p);
  });
}

void ClusterImpl::WhenApplied(uint64_t index, std::chrono::milliseconds timeout,
                              std::function<void(bool)> then) {
  if (raft_ && raft_->LastApplied() >= index) return then(true);
  // Whichever comes first, the apply or the timer, runs `then`; the other finds it gone.
  auto once = std::make_shared<std::function<void(bool)>>(std::move(then));
  auto timer = std::make_shared<asio::steady_timer>(io_, timeout);
  apply_waiters_.emplace(index, [once, timer](bool ok) {
    timer->cancel();
    if (*once) std::exchange(*once, nullptr)(ok);
  });
  timer->async_wait([alive = std::weak_ptr<bool>(alive_), once](std::error_code) {
    if (!alive.expired() && *once) std::exchange(*once, nullptr)(false);
  });
}

void ClusterImpl::WakeApplied(uint64_t applied) {
  while (!apply_waiters_.empty() && apply_waiters_.begin()->first <= applied) {
    auto then = std::move(apply_waiters_.begin()->second);
    apply_waiters_.erase(apply_waiters_.begin());
    then(true);
  }
}

Status ClusterImpl::ProposeHere(const json& command) {
  std::optional<Status> done;
  uint64_t at = 0;
  raft_->Propose(command.dump(), [&done, &at](Status s, uint64_t index) {
    done = s;
    at = index;
  });
  if (!uv_->RunUntil([&] { return done.has_value(); }, kCallTimeout))
    return Status::Timeout("the cluster did not commit the change in time");
  if (!done->ok()) return *done;
  Nudge();
  return ResultAt(at);
}

void ClusterImpl::Nudge() {
  nudge_wanted_ = true;
  if (nudging_ || !raft_ || !raft_->IsLeader()) return;
  nudging_ = true;
  nudge_wanted_ = false;
  raft_->Propose(json{{"op", "cluster.noop"}}.dump(),
                 [this, alive = std::weak_ptr<bool>(alive_)](Status, uint64_t) {
                   if (alive.expired()) return;
                   nudging_ = false;
                   if (nudge_wanted_) Nudge();
                 });
}

Status ClusterImpl::ResultAt(uint64_t index) const {
  auto it = results_.find(index);
  return it == results_.end() ? Status::OK() : it->second;
}

Result<json> ClusterImpl::ForwardToLeader(const json& req, std::chrono::milliseconds timeout) {
  auto leader = raft_->Leader();
  if (!leader) {
    uv_->RunUntil([&] { return raft_->Leader().has_value(); }, kLeaderWait);
    leader = raft_->Leader();
  }
  if (!leader) return Status::Unavailable("the cluster has no leader");
  return CallAndWait(leader->address, req, timeout);
}

Result<json> ClusterImpl::CallAndWait(const std::string& address, const json& req,
                                      std::chrono::milliseconds timeout, bool on_fiber) {
  auto result = std::make_shared<std::optional<Result<json>>>();
  dist_->Call(address, req, [result](Result<json> r) { *result = std::move(r); }, timeout);
  const auto answered = [result] { return result->has_value(); };
  if (!(on_fiber ? AwaitUntil(answered, timeout + 100ms) : uv_->RunUntil(answered, timeout + 100ms)))
    return Status::Timeout("no reply from " + address + " in time");
  return std::move(**result);
}

Status ClusterImpl::WaitDone(const std::function<void(RaftLog::Done)>& start,
                std::chrono::milliseconds timeout) {
  auto done = std::make_shared<std::optional<Status>>();
  start([done](Status s) { *done = s; });
  if (!uv_->RunUntil([&] { return done->has_value(); }, timeout))
    return Status::Timeout("the cluster did not complete the membership change in time");
  return **done;
}
}  // namespace warren::cluster
