#include "cluster/cluster.h"

#include <unistd.h>

#include <asio.hpp>
#include <filesystem>
#include <map>
#include <optional>

#include "base/log.h"
#include "cluster/dist.h"
#include "cluster/internal/members.h"
#include "cluster/raft/uv_on_asio.h"
#include "cluster/raft/raft_log.h"
#include "meta/store.h"
#include "store/record_log.h"

namespace warren::cluster {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kCallTimeout = 10s;
constexpr auto kJoinTimeout = 30s;
// How long a proposal may wait for a leader to be elected before giving up.
constexpr auto kLeaderWait = 5s;

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

class ClusterImpl : public Cluster, public StateMachine {
 public:
  ClusterImpl(asio::io_context& io, ClusterOptions o)
      : io_(io), o_(std::move(o)), alive_(std::make_shared<bool>(true)) {}
  ~ClusterImpl() override { Close(); }

  Status Boot() {
    WARREN_ASSIGN_OR_RETURN(uv_, UvOnAsio::Create(io_));
    DistOptions d;
    d.self = o_.self;
    d.cookie = o_.cookie;
    d.bind_ip = o_.dist_ip;
    d.port = o_.dist_port;
    d.on_raft = [this](const Hello& h, int fd) {
      if (raft_) raft_->Accept(h.raft_id, h.raft_address, fd);
      else ::close(fd);
    };
    d.on_request = [this](const std::string& from, const json& req, Reply reply) {
      OnRequest(from, req, std::move(reply));
    };
    auto dist = Dist::Start(uv_->loop(), d);
    if (!dist.ok() && o_.dist_ip == "::") {
      // No IPv6 on this host: all IPv4 interfaces, as RabbitMQ falls back.
      d.bind_ip = "0.0.0.0";
      dist = Dist::Start(uv_->loop(), d);
    }
    if (!dist.ok()) return dist.status();
    dist_ = std::move(dist).value();
    uv_->Kick();
    WARREN_TRY(Publish());
    if (!HasRaftState()) return Status::OK();
    WARREN_TRY(OpenRaft());
    WARREN_TRY(raft_->Start());
    o_.store->SetReplicator([this](const json& c) { return Replicate(c); });
    CatchUp();
    return Status::OK();
  }

  bool clustered() const override { return raft_ != nullptr; }
  bool with_majority() const override { return !raft_ || raft_->Leader().has_value(); }
  bool ready() const override {
    return !raft_ || (raft_->Leader().has_value() && members_.Find(o_.self) != nullptr &&
                      raft_->LastApplied() >= boot_index_);
  }
  int dist_port() const override { return dist_->port(); }

  std::vector<MemberInfo> Members() const override {
    if (!raft_) return {MemberInfo{o_.self, NodeType::kDisc}};
    return members_.List();
  }

  // --- joining and leaving ---------------------------------------------------

  Status Join(const std::string& seed, NodeType type) override {
    if (seed == o_.self)
      return Status::BadInput("cannot cluster node " + o_.self + " with itself");
    if (raft_) {
      if (members_.Find(seed)) return Status::AlreadyExists("already a member of the cluster");
      return Status::Precondition("node " + o_.self +
                                  " is already clustered; reset it first with 'reset'");
    }
    WARREN_ASSIGN_OR_RETURN(std::string seed_address, Locate(seed));
    std::error_code ec;
    fs::remove_all(o_.dir, ec);
    WARREN_TRY(OpenRaft());
    WARREN_TRY(raft_->Start());
    members_.Clear();
    o_.store->SetReplicator([this](const json& c) { return Replicate(c); });
    json req{{"op", "join"},
             {"node", o_.self},
             {"raft_id", RaftId(o_.self)},
             {"address", Address()},
             {"type", NodeTypeName(type)}};
    Result<json> r = CallAndWait(seed_address, req, kJoinTimeout);
    Status s = r.ok() ? StatusFromReply(*r) : r.status();
    if (s.ok() && !uv_->RunUntil([&] { return members_.Find(o_.self) != nullptr; }, 10s))
      s = Status::Timeout("joined, but the cluster's state did not reach this node in time");
    if (!s.ok()) {
      DropRaft();
      WARREN_TRY(o_.store->Reset());
      // A seed that cannot be reached or refuses us is, to the operator, unavailable.
      if (s.kind() == ErrorKind::kAccessRefused) s = Status::Unavailable(s.message());
      return s.kind() == ErrorKind::kUnavailable || s.kind() == ErrorKind::kTimeout
                 ? Status(s.kind(), "unable to join the cluster of " + seed + ": " + s.message())
                 : s;
    }
    log::Info("joined the cluster of " + seed + " as a " + NodeTypeName(type) + " node");
    PostChanged();
    return Status::OK();
  }

  Status Leave() override {
    if (!raft_) return Status::OK();
    // Tell the cluster to remove this node: through the leader, which may be us.
    Status s = RemoveThroughLeader(o_.self);
    if (!s.ok() && s.kind() == ErrorKind::kNotFound) s = Status::OK();  // already forgotten
    if (!s.ok())
      return Status::Unavailable("could not tell the cluster that " + o_.self +
                                 " leaves it: " + s.message() +
                                 "; use force_reset to leave without telling it");
    DropRaft();
    log::Info("left the cluster");
    return Status::OK();
  }

  Result<bool> SetType(NodeType type) override {
    if (!raft_)
      return Status::Unavailable("{:error, :non_clustered_node}: node " + o_.self +
                                 " is not clustered; a node alone is a disc node");
    WARREN_ASSIGN_OR_RETURN(json r, AskLeader(json{{"op", "set_type"},
                                                   {"node", o_.self},
                                                   {"type", NodeTypeName(type)}}));
    return r.value("changed", false);
  }

  void Abandon() override {
    if (!raft_) return;
    DropRaft();
    log::Warning("left the cluster without telling its other members (force_reset)");
  }

  Status CheckConsistent() override {
    if (!raft_) return Status::OK();
    json facts = Survey(1s);
    for (const auto& [node, f] : facts.items()) {
      if (node == o_.self || !f.contains("members") || f["members"].empty()) continue;
      bool listed = false;
      for (const auto& m : f["members"]) listed = listed || m == o_.self;
      if (!listed)
        return Status::Unavailable("{:inconsistent_cluster, 'Node " + o_.self +
                                   " thinks it\\'s clustered with node " + node + ", but " +
                                   node + " disagrees'}");
    }
    return Status::OK();
  }

  Status Forget(const std::string& node) override {
    const ClusterMember* m = raft_ ? members_.Find(node) : nullptr;
    if (!m || !raft_)
      return Status::NotFound("{:not_a_cluster_node, 'The node selected is not in the cluster.'}",
                              "node");
    std::string stop_first = "RabbitMQ on node " + node + " must be stopped with 'rabbitmqctl -n " +
                             node + " stop_app' before it can be removed";
    if (node == o_.self) return Status::Precondition(stop_first);
    json facts = Survey(1s);
    if (facts.contains(node) && facts[node].value("app_running", false))
      return Status::Precondition(stop_first);
    return RemoveThroughLeader(node);
  }

  json Survey(std::chrono::milliseconds timeout) override {
    json out = json::object();
    out[o_.self] = o_.local_facts ? o_.local_facts() : json::object();
    if (!raft_) return out;
    auto waiting = std::make_shared<size_t>(0);
    auto answered = std::make_shared<json>(json::object());
    for (const auto& m : members_.List()) {
      if (m.node == o_.self) continue;
      const ClusterMember* member = members_.Find(m.node);
      ++*waiting;
      // The reply may come after this wait ended: it then lands in `answered` only.
      dist_->Call(member->address, {{"op", "facts"}},
                  [answered, waiting, node = m.node](Result<json> r) {
                    if (r.ok()) (*answered)[node] = std::move(*r);
                    --*waiting;
                  },
                  timeout);
    }
    uv_->RunUntil([&] { return *waiting == 0; }, timeout + 100ms);
    for (auto& [node, facts] : answered->items()) out[node] = facts;
    return out;
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    *alive_ = false;
    if (raft_) {
      bool done = false;
      raft_->Close([&] { done = true; });
      uv_->RunUntil([&] { return done; }, 2s);
      raft_.reset();
    }
    if (dist_) dist_->Close();
    dist_.reset();
    std::error_code ec;
    fs::remove(PortFile(o_.self), ec);
    if (uv_) uv_->Close();
  }

  // --- the replicated state machine (raft/raft_log.h) ----------------------

  void Apply(uint64_t index, std::string_view command) override {
    json c = json::parse(command, nullptr, false);
    Status s;
    if (c.is_discarded() || !c.is_object()) {
      s = Status::BadInput("unreadable replicated command at index " + std::to_string(index));
    } else {
      const std::string op = c.value("op", "");
      if (op.rfind("cluster.", 0) == 0) s = members_.Apply(op, c);
      else if (op == "meta.replace") s = ApplySnapshot(c);
      else s = o_.store->ApplyReplicated(c);
    }
    results_[index] = s;
    while (results_.size() > 4096) results_.erase(results_.begin());
    PostChanged();
  }

  std::string Snapshot() override {
    return json{{"definitions", o_.store->state().ToDefinitions()}, {"members", members_.ToJson()}}
        .dump();
  }

  Status Restore(std::string_view snapshot) override {
    json doc = json::parse(snapshot, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return Status::BadInput("the cluster's metadata snapshot is not valid JSON");
    Status s = ApplySnapshot(doc);
    PostChanged();
    return s;
  }

 private:
  Status ApplySnapshot(const json& doc) {
    if (!doc.contains("definitions") || !doc.contains("members"))
      return Status::BadInput("the cluster's metadata snapshot lacks definitions or members");
    WARREN_TRY(o_.store->ReplaceState(doc["definitions"]));
    return members_.Replace(doc["members"]);
  }

  // --- requests from other nodes -------------------------------------------

  void OnRequest(const std::string& from, const json& req, Reply reply) {
    const std::string op = req.value("op", "");
    if (op == "facts") return reply(o_.local_facts ? o_.local_facts() : json::object());
    if (op == "propose") return OnPropose(req, std::move(reply));
    if (op == "control") {
      if (!o_.control) return reply(Status::Unavailable("this node takes no remote operations"));
      asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), req, reply]() {
        if (alive.expired()) return reply(Status::Unavailable("the node is stopping"));
        reply(o_.control(req));
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

  // A follower forwards a command; the leader proposes it and answers with its index
  // and the outcome of applying it.
  void OnPropose(const json& req, Reply reply) {
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

  Result<json> HandleJoin(const json& req) {
    if (!raft_) WARREN_TRY(Form());
    if (!raft_->IsLeader()) return ForwardToLeader(req, kJoinTimeout);
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

  Result<json> HandleLeave(const json& req) {
    if (!raft_) return Status::Unavailable("node " + o_.self + " is not clustered");
    if (!raft_->IsLeader()) return ForwardToLeader(req, kCallTimeout);
    const std::string node = req.value("node", "");
    const ClusterMember* m = members_.Find(node);
    if (!m) return Status::NotFound("{:not_a_cluster_node, 'The node selected is not in the cluster.'}", "node");
    const uint64_t id = m->id;
    if (node == o_.self) {
      // A leader hands over before it removes itself.
      Status t = WaitDone([&](RaftLog::Done d) { raft_->Transfer(0, std::move(d)); });
      if (!t.ok()) return t;
      return ForwardToLeader(req, kCallTimeout);
    }
    WARREN_TRY(ProposeHere(json{{"op", "cluster.remove_node"}, {"node", node}}));
    WARREN_TRY(WaitDone([&](RaftLog::Done d) { raft_->Remove(id, std::move(d)); }));
    log::Info("node " + node + " was removed from the cluster");
    return json{{"ok", true}};
  }

  // A disc node votes, a ram node follows the log as a standby. The last disc node
  // stays one, as in RabbitMQ.
  Result<json> HandleSetType(const json& req) {
    if (!raft_->IsLeader()) return ForwardToLeader(req, kCallTimeout);
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

  // Makes this standalone node a cluster of one: its Raft log starts with its current
  // metadata, so nodes that join later receive it.
  Status Form() {
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
    o_.store->SetReplicator([this](const json& c) { return Replicate(c); });
    log::Info("formed a cluster with node " + o_.self + " as its first member");
    return Status::OK();
  }

  // join / leave / set_type, on the leader (forwarded there from any other member).
  Result<json> HandleOnLeader(const json& req) {
    const std::string op = req.value("op", "");
    if (op == "join") return HandleJoin(req);
    if (op == "leave") return HandleLeave(req);
    return HandleSetType(req);
  }

  // Asks the leader to carry out `req`: directly, or through any member that answers
  // (a node the others forgot may not know who leads).
  Result<json> AskLeader(const json& req) {
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

  Status RemoveThroughLeader(const std::string& node) {
    return AskLeader(json{{"op", "leave"}, {"node", node}}).status();
  }

  // --- proposals ---------------------------------------------------------------

  // Store::Submit while clustered: commit `command` through the leader and return once
  // it is applied here, with the outcome of applying it.
  Status Replicate(const json& command) {
    if (!raft_) return Status::Unavailable("node " + o_.self + " is not clustered");
    const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
    Status last = Status::Unavailable("no leader");
    while (std::chrono::steady_clock::now() < deadline) {
      if (raft_->IsLeader()) {
        Status s = ProposeHere(command);
        if (s.ok() || s.kind() != ErrorKind::kUnavailable || raft_->IsLeader()) return s;
        // libraft cannot tell whether an entry in flight when leadership is lost will
        // commit: say so rather than retry and maybe apply it twice.
        return Status::Unavailable("this node lost the cluster's leadership while committing "
                                   "the change, which may or may not take effect: a majority "
                                   "of its disc nodes is not reachable (" + s.message() + ")");
      }
      auto leader = raft_->Leader();
      if (!leader) {
        uv_->RunUntil([&] { return raft_ && raft_->Leader().has_value(); }, kLeaderWait);
        if (!raft_->Leader())
          return Status::Unavailable("the cluster has no leader: a majority of its disc nodes "
                                     "is not reachable, so metadata cannot change");
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

  // On the leader: appends `command` and waits until it is applied here.
  Status ProposeHere(const json& command) {
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

  // Followers learn that an entry is committed from the next entry the leader sends,
  // which may be a heartbeat away; an empty entry sent at once lets every node apply a
  // change within a round trip. One at a time: changes made meanwhile ask for another.
  void Nudge() {
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

  Status ResultAt(uint64_t index) const {
    auto it = results_.find(index);
    return it == results_.end() ? Status::OK() : it->second;
  }

  Result<json> ForwardToLeader(const json& req, std::chrono::milliseconds timeout) {
    auto leader = raft_->Leader();
    if (!leader) {
      uv_->RunUntil([&] { return raft_->Leader().has_value(); }, kLeaderWait);
      leader = raft_->Leader();
    }
    if (!leader) return Status::Unavailable("the cluster has no leader");
    return CallAndWait(leader->address, req, timeout);
  }

  Result<json> CallAndWait(const std::string& address, const json& req,
                           std::chrono::milliseconds timeout) {
    auto result = std::make_shared<std::optional<Result<json>>>();
    dist_->Call(address, req, [result](Result<json> r) { *result = std::move(r); }, timeout);
    uv_->RunUntil([&] { return result->has_value(); }, timeout + 100ms);
    if (!result->has_value()) return Status::Timeout("no reply from " + address + " in time");
    return std::move(**result);
  }

  Status WaitDone(const std::function<void(RaftLog::Done)>& start,
                  std::chrono::milliseconds timeout = kCallTimeout) {
    auto done = std::make_shared<std::optional<Status>>();
    start([done](Status s) { *done = s; });
    if (!uv_->RunUntil([&] { return done->has_value(); }, timeout))
      return Status::Timeout("the cluster did not complete the membership change in time");
    return **done;
  }

  // --- the log's lifecycle -------------------------------------------------------

  bool HasRaftState() const {
    std::error_code ec;
    return fs::exists(o_.dir, ec) && !fs::is_empty(o_.dir, ec);
  }

  Status OpenRaft() {
    std::error_code ec;
    fs::create_directories(o_.dir, ec);
    if (ec) return Status::Unavailable("cannot create " + o_.dir + ": " + ec.message());
    RaftOptions ro;
    ro.id = RaftId(o_.self);
    ro.address = Address();
    ro.dir = o_.dir;
    ro.election_timeout_ms = o_.election_timeout_ms;
    ro.heartbeat_timeout_ms = o_.heartbeat_timeout_ms;
    ro.dial = [this](uint64_t, const std::string& address, DialDone done) {
      dist_->DialRaft(address, RaftId(o_.self), Address(), std::move(done));
    };
    WARREN_ASSIGN_OR_RETURN(raft_, RaftLog::Open(*uv_, std::move(ro), this));
    return Status::OK();
  }

  // Closes the log and forgets it: this node is standalone again, with a blank store.
  void DropRaft() {
    if (raft_) {
      bool done = false;
      raft_->Close([&] { done = true; });
      uv_->RunUntil([&] { return done; }, 2s);
      raft_.reset();
    }
    std::error_code ec;
    fs::remove_all(o_.dir, ec);
    members_.Clear();
    o_.store->SetReplicator(nullptr);
    results_.clear();
    boot_index_ = 0;
  }

  // Waits at boot (up to boot_wait) until the metadata this node had is confirmed by
  // the cluster.
  void CatchUp() {
    boot_index_ = raft_->LastIndex();
    const auto start = std::chrono::steady_clock::now();
    bool ok = uv_->RunUntil([&] { return ready(); }, o_.boot_wait);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    if (ok) {
      log::Info("clustered: metadata caught up with the cluster in " + std::to_string(ms) + " ms");
    } else {
      log::Warning("clustered: no leader reachable after " + std::to_string(ms) +
                   " ms; the app starts once a majority of the disc nodes is back");
    }
  }

  // --- naming -------------------------------------------------------------------

  // A node's Raft id: a 64-bit FNV-1a hash of its name (never 0).
  static uint64_t RaftId(const std::string& node) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : node) h = (h ^ c) * 1099511628211ull;
    return h == 0 ? 1 : h;
  }

  // Where peers reach this node: the host of its name and its inter-node port.
  std::string Address() const {
    std::string host = o_.self.substr(o_.self.find('@') + 1);
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return host + ":" + std::to_string(dist_->port());
  }

  std::string PortFile(const std::string& node) const { return o_.run_dir + "/" + node + ".dist"; }

  // Local nodes publish their inter-node port beside their control socket, as epmd
  // would; a node on another host is reached on the default port 25672.
  Status Publish() {
    return store::WriteFileAtomically(PortFile(o_.self), std::to_string(dist_->port()) + "\n");
  }

  Result<std::string> Locate(const std::string& node) const {
    auto at = node.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == node.size())
      return Status::BadInput("'" + node + "' is not a node name (name@host)");
    std::string host = node.substr(at + 1);
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    auto local = store::ReadWholeFile(PortFile(node));
    if (local.ok()) {
      std::string port = *local;
      while (!port.empty() && (port.back() == '\n' || port.back() == ' ')) port.pop_back();
      return host + ":" + port;
    }
    return host + ":25672";
  }

  void PostChanged() {
    if (change_posted_ || !o_.metadata_changed) return;
    change_posted_ = true;
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
      if (alive.expired()) return;
      change_posted_ = false;
      o_.metadata_changed();
    });
  }

  asio::io_context& io_;
  ClusterOptions o_;
  std::shared_ptr<bool> alive_;
  std::unique_ptr<UvOnAsio> uv_;
  std::unique_ptr<Dist> dist_;
  std::unique_ptr<RaftLog> raft_;
  MemberList members_;
  std::map<uint64_t, Status> results_;  // outcomes of recently applied commands, by index
  bool change_posted_ = false;
  bool nudging_ = false, nudge_wanted_ = false;
  uint64_t boot_index_ = 0;  // the log's last index when this process opened it
  bool closed_ = false;
};

}  // namespace

const char* NodeTypeName(NodeType t) { return t == NodeType::kRam ? "ram" : "disc"; }

Result<std::unique_ptr<Cluster>> Cluster::Start(asio::io_context& io, ClusterOptions options) {
  auto c = std::make_unique<ClusterImpl>(io, std::move(options));
  WARREN_TRY(c->Boot());
  return std::unique_ptr<Cluster>(std::move(c));
}

}  // namespace warren::cluster
