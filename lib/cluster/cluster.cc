#include <unistd.h>

#include <filesystem>
#include <optional>
#include <set>

#include "base/fiber.h"
#include "base/log.h"
#include "base/node_env.h"
#include "cluster/internal/cluster_impl.h"
#include "meta/store.h"
#include "store/record_log.h"

namespace warren::cluster {

namespace fs = std::filesystem;

Status ClusterImpl::Boot() {
  WARREN_ASSIGN_OR_RETURN(uv_, UvOnAsio::Create(io_));
  DistOptions d;
  d.self = o_.self;
  d.cookie = o_.cookie;
  d.bind_ip = o_.dist_ip;
  d.port = o_.dist_port;
  d.on_socket = [this](const Hello& h, int fd) {
    if (h.purpose == "raft" && raft_) raft_->Accept(h.raft_id, h.raft_address, fd);
    else if (h.purpose == "broker" && o_.on_broker_link)
      // Out of the inter-node loop: the broker may make blocking cluster calls.
      asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), h, fd] {
        if (alive.expired()) ::close(fd);
        else o_.on_broker_link(h.link_from, h.link_to, fd);
      });
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
  std::error_code ec;
  const bool forced = !o_.force_boot_file.empty() && fs::exists(o_.force_boot_file, ec);
  if (forced) fs::remove(o_.force_boot_file, ec);
  std::set<std::string> forget = store::ReadLineSet(o_.forget_nodes_file);
  forget.erase(o_.self);
  fs::remove(o_.forget_nodes_file, ec);
  if (!HasRaftState()) return Status::OK();
  WARREN_TRY(OpenRaft());
  if (forced) {
    // The log this member holds becomes the cluster's, with it as the only voter.
    log::Warning("force_boot: recovering the cluster on this node alone; the other members "
                 "are forgotten and must be reset before they join again");
    WARREN_TRY(raft_->Recover({Member{RaftId(o_.self), Address(), Role::kVoter}}));
  } else if (!forget.empty()) {
    WARREN_TRY(RecoverWithout(forget));
  }
  WARREN_TRY(raft_->Start());
  ReplicateStore();
  CatchUp();
  if (forced) {
    for (const auto& m : members_.List())
      if (m.node != o_.self) forget.insert(m.node);
  }
  // Once a leader is there (the other survivors may start later): see Tick().
  pending_forget_ = std::move(forget);
  Tick();
  return Status::OK();
}

std::vector<MemberInfo> ClusterImpl::Members() const {
  if (!raft_) return {MemberInfo{o_.self, NodeType::kDisc}};
  return members_.List();
}

Status ClusterImpl::Join(const std::string& seed, NodeType type,
                         const std::function<Status()>& wipe) {
  if (seed == o_.self)
    return Status::BadInput("Error: cannot cluster node with itself: " + o_.self, "node");
  if (raft_) {
    if (members_.Find(seed)) return Status::AlreadyExists("already a member of the cluster");
    return Status::Precondition("node " + o_.self +
                                " is already clustered; reset it first with 'reset'");
  }
  // A seed that cannot be reached or refuses us is, to the operator, unavailable.
  auto unable = [&](Status s) {
    if (s.kind() == ErrorKind::kAccessRefused) s = Status::Unavailable(s.message());
    return s.kind() == ErrorKind::kUnavailable || s.kind() == ErrorKind::kTimeout
               ? Status(s.kind(), "unable to join the cluster of " + seed + ": " + s.message())
               : s;
  };
  WARREN_ASSIGN_OR_RETURN(std::string seed_address, Locate(seed));
  // The seed must answer (and share the cookie) before this node gives up what it holds.
  if (Result<json> probe = CallAndWait(seed_address, {{"op", "facts"}}, kCallTimeout); !probe.ok())
    return unable(probe.status());
  WARREN_TRY(wipe());
  std::error_code ec;
  fs::remove_all(o_.dir, ec);
  WARREN_TRY(OpenRaft());
  WARREN_TRY(raft_->Start());
  members_.Clear();
  ReplicateStore();
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
    return unable(s);
  }
  log::Info("joined the cluster of " + seed + " as a " + NodeTypeName(type) + " node");
  PostChanged();
  return Status::OK();
}

Status ClusterImpl::CheckThrough(const std::string& seed) {
  WARREN_ASSIGN_OR_RETURN(std::string address, Locate(seed));
  Result<json> facts = CallAndWait(address, {{"op", "facts"}}, kCallTimeout);
  if (!facts.ok())
    return Status::Unavailable("{:cannot_connect_to_node, 'Could not connect to the cluster node "
                               "provided.'}: " + facts.status().message());
  bool listed = false;
  if (facts->contains("members"))
    for (const auto& m : (*facts)["members"]) listed = listed || m == o_.self;
  if (!raft_ || !listed)
    return Status::Unavailable("{:inconsistent_cluster, 'The nodes provided do not have this node "
                               "as part of the cluster.'}");
  log::Info("updating cluster nodes from " + seed + ": this node is a member of its cluster");
  return Status::OK();
}

Status ClusterImpl::Leave() {
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

Result<bool> ClusterImpl::SetType(NodeType type) {
  if (!raft_)
    return Status::Unavailable("{:error, :non_clustered_node}: node " + o_.self +
                               " is not clustered; a node alone is a disc node");
  WARREN_ASSIGN_OR_RETURN(json r, AskLeader(json{{"op", "set_type"},
                                                 {"node", o_.self},
                                                 {"type", NodeTypeName(type)}}));
  return r.value("changed", false);
}

void ClusterImpl::Abandon() {
  if (!raft_) return;
  DropRaft();
  log::Warning("left the cluster without telling its other members (force_reset)");
}

Status ClusterImpl::CheckConsistent() {
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

Status ClusterImpl::Forget(const std::string& node) {
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

json ClusterImpl::Survey(std::chrono::milliseconds timeout) {
  std::map<std::string, std::string> failed;
  json out = Ask({{"op", "facts"}}, timeout, &failed);
  // A member whose port refuses connections is down; one that cannot be reached in
  // time (or at all, across a cut network) while it may be running is cut off.
  for (const auto& [node, why] : failed)
    if (why.find("connection refused") == std::string::npos) out[node] = {{"unreachable", true}};
  out[o_.self] = o_.local_facts ? o_.local_facts() : json::object();
  return out;
}

Result<json> ClusterImpl::CallMember(const std::string& node, const json& request,
                                     std::chrono::milliseconds timeout) {
  const ClusterMember* member = raft_ ? members_.Find(node) : nullptr;
  if (!member) return Status::NotFound("node " + node + " is not a member of this cluster", "node");
  return CallAndWait(member->address, request, timeout, /*on_fiber=*/true);
}

bool ClusterImpl::AwaitUntil(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  if (!fiber::InFiber()) return uv_->RunUntil(ready, timeout);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  asio::steady_timer tick(io_);
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    tick.expires_after(1ms);
    fiber::Wait([&tick](fiber::Resume resume) {
      tick.async_wait([resume = std::move(resume)](std::error_code) { resume(); });
    });
  }
  return true;
}

json ClusterImpl::Ask(const json& request, std::chrono::milliseconds timeout,
                      std::map<std::string, std::string>* failed) {
  auto waiting = std::make_shared<size_t>(0);
  auto answered = std::make_shared<json>(json::object());
  auto failures = std::make_shared<std::map<std::string, std::string>>();
  if (!raft_) return *answered;
  std::vector<std::string> asked;
  for (const auto& m : members_.List()) {
    if (m.node == o_.self) continue;
    const ClusterMember* member = members_.Find(m.node);
    ++*waiting;
    asked.push_back(m.node);
    // The reply may come after this wait ended: it then lands in `answered` only.
    dist_->Call(member->address, request,
                [answered, failures, waiting, node = m.node](Result<json> r) {
                  if (r.ok()) (*answered)[node] = std::move(*r);
                  else (*failures)[node] = r.status().message();
                  --*waiting;
                },
                timeout);
  }
  AwaitUntil([waiting] { return *waiting == 0; }, timeout + 100ms);
  if (failed) {
    for (const auto& node : asked)
      if (!answered->contains(node))
        (*failed)[node] = failures->count(node) ? failures->at(node) : "no answer in time";
  }
  return *answered;
}

void ClusterImpl::Close() {
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

void ClusterImpl::Apply(uint64_t index, std::string_view command) {
  json c = json::parse(command, nullptr, false);
  Status s;
  if (c.is_discarded() || !c.is_object()) {
    s = Status::BadInput("unreadable replicated command at index " + std::to_string(index));
  } else {
    const std::string op = c.value("op", "");
    if (op.rfind("cluster.", 0) == 0) {
      s = members_.Apply(op, c);
      // A member that leaves takes its queues (and its non-durable exchanges) with it.
      if (s.ok() && op == "cluster.remove_node")
        (void)o_.store->ApplyReplicated({{"op", "node.forget"}, {"node", c.value("node", "")}});
    }
    else if (op == "meta.replace") s = ApplySnapshot(c);
    else s = o_.store->ApplyReplicated(c);
  }
  results_[index] = s;
  while (results_.size() > 4096) results_.erase(results_.begin());
  WakeApplied(index);
  PostChanged();
}

std::string ClusterImpl::Snapshot() {
  return json{{"definitions", o_.store->state().ToDefinitions()}, {"members", members_.ToJson()}}
      .dump();
}

Status ClusterImpl::Restore(std::string_view snapshot) {
  json doc = json::parse(snapshot, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Status::BadInput("the cluster's metadata snapshot is not valid JSON");
  Status s = ApplySnapshot(doc);
  // The snapshot's last index is known once this returns.
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (!alive.expired() && raft_) WakeApplied(raft_->LastApplied());
  });
  PostChanged();
  return s;
}

Status ClusterImpl::ApplySnapshot(const json& doc) {
  if (!doc.contains("definitions") || !doc.contains("members"))
    return Status::BadInput("the cluster's metadata snapshot lacks definitions or members");
  WARREN_TRY(o_.store->ReplaceState(doc["definitions"]));
  return members_.Replace(doc["members"]);
}

bool ClusterImpl::HasRaftState() const {
  std::error_code ec;
  return fs::exists(o_.dir, ec) && !fs::is_empty(o_.dir, ec);
}

Status ClusterImpl::OpenRaft() {
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
    dist_->Dial(address, Hello{"", "raft", RaftId(o_.self), Address()}, std::move(done));
  };
  WARREN_ASSIGN_OR_RETURN(raft_, RaftLog::Open(*uv_, std::move(ro), this));
  return Status::OK();
}

void ClusterImpl::DropRaft() {
  if (raft_) {
    bool done = false;
    raft_->Close([&] { done = true; });
    uv_->RunUntil([&] { return done; }, 2s);
    raft_.reset();
  }
  std::error_code ec;
  fs::remove_all(o_.dir, ec);
  members_.Clear();
  o_.store->SetReplicator(nullptr, nullptr);
  results_.clear();
  boot_index_ = 0;
}

void ClusterImpl::CatchUp() {
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

uint64_t ClusterImpl::RaftId(const std::string& node) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : node) h = (h ^ c) * 1099511628211ull;
  return h == 0 ? 1 : h;
}

std::string ClusterImpl::Address() const {
  std::string host = o_.self.substr(o_.self.find('@') + 1);
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(dist_->port());
}

Status ClusterImpl::Publish() {
  return store::WriteFileAtomically(PortFile(o_.self), std::to_string(dist_->port()) + "\n");
}

Result<std::string> ClusterImpl::Locate(const std::string& node) const {
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
  return host + ":" + std::to_string(kDefaultDistPort);
}

void ClusterImpl::DialBroker(const std::string& from, const std::string& to,
                             std::function<void(int fd, std::string error)> done) {
  // The answer always comes later, on the Asio loop.
  auto answer = [this, done = std::move(done)](int fd, std::string error) mutable {
    asio::post(io_, [fd, error = std::move(error), done = std::move(done)] { done(fd, error); });
  };
  if (closed_) return answer(-1, "the inter-node transport is closed");
  const std::string node = HolderNode(to);
  const ClusterMember* member = members_.Find(node);
  auto address = member ? Result<std::string>(member->address) : Locate(node);
  if (!address.ok()) return answer(-1, address.status().message());
  Hello hello{"", "broker", 0, ""};
  hello.link_from = from;
  hello.link_to = to;
  dist_->Dial(*address, std::move(hello), std::move(answer));
  uv_->Kick();
}

Status ClusterImpl::RecoverWithout(const std::set<std::string>& forget) {
  // The configuration is in the log: started once to read it, then recovered without
  // the forgotten members before the real start.
  WARREN_TRY(raft_->Start());
  std::vector<Member> kept;
  std::set<uint64_t> gone;
  for (const auto& node : forget) gone.insert(RaftId(node));
  for (const Member& m : raft_->Members())
    if (!gone.count(m.id)) kept.push_back(m);
  bool closed = false;
  raft_->Close([&] { closed = true; });
  uv_->RunUntil([&] { return closed; }, 2s);
  raft_.reset();
  WARREN_TRY(OpenRaft());
  log::Warning("forget_cluster_node --offline: recovering the cluster without " +
               std::to_string(forget.size()) + " member(s)");
  return raft_->Recover(kept);
}

void ClusterImpl::Tick() {
  if (raft_ && !raft_->Leader()) {
    if (leaderless_since_ == std::chrono::steady_clock::time_point{})
      leaderless_since_ = std::chrono::steady_clock::now();
  } else {
    leaderless_since_ = {};
  }
  if (raft_ && raft_->IsLeader() && ready()) {
    CheckMembersAlive();
  } else {  // a new leader gives every member a whole period
    last_heard_.clear();
    reported_down_.clear();
  }
  if (pending_forget_.empty() || !raft_ || !ready()) return;
  auto nodes = std::move(pending_forget_);
  pending_forget_.clear();
  ForgetMembers(nodes);
}

void ClusterImpl::CheckMembersAlive() {
  const auto now = std::chrono::steady_clock::now();
  std::set<std::string> members;
  for (const auto& m : members_.List()) {
    if (m.node == o_.self) continue;
    const ClusterMember* member = members_.Find(m.node);
    if (!member) continue;
    members.insert(m.node);
    auto heard = last_heard_.try_emplace(m.node, now).first->second;
    dist_->Call(
        member->address, {{"op", "ping"}},
        [this, alive = std::weak_ptr<bool>(alive_), node = m.node](Result<json> r) {
          if (alive.expired() || !r.ok()) return;
          last_heard_[node] = std::chrono::steady_clock::now();
          reported_down_.erase(node);
        },
        1000ms);
    if (now - heard < o_.node_down_after || reported_down_.count(m.node)) continue;
    const auto& st = o_.store->state();
    bool transient = false;
    for (const auto& [k, q] : st.queues()) transient |= !q.durable && HolderNode(q.node) == m.node;
    for (const auto& [k, x] : st.exchanges()) transient |= !x.durable && HolderNode(x.node) == m.node;
    if (!transient) continue;
    reported_down_.insert(m.node);
    ReplicateAsync({{"op", "node.down"}, {"node", m.node}}, [node = m.node](Status s) {
      if (s.ok())
        log::Warning("node " + node + " is down: its non-durable queues and exchanges are deleted");
      else
        log::Error("node " + node + " is down, but its non-durable queues could not be deleted: " +
                   s.message());
    });
  }
  std::erase_if(last_heard_, [&](const auto& kv) { return !members.count(kv.first); });
  std::erase_if(reported_down_, [&](const std::string& n) { return !members.count(n); });
}

void ClusterImpl::ForgetMembers(const std::set<std::string>& nodes) {
  for (const auto& node : nodes) {
    if (!members_.Find(node)) continue;
    Status s = Replicate(json{{"op", "cluster.remove_node"}, {"node", node}});
    if (s.ok()) log::Info("node " + node + " is no longer a member (forgotten while this node was down)");
    else log::Error("cannot forget node " + node + ": " + s.message());
  }
}

void ClusterImpl::Cut(const std::set<std::string>& nodes) {
  std::set<std::string> addresses;
  std::set<uint64_t> ids;
  for (const auto& node : nodes) {
    const ClusterMember* member = members_.Find(node);
    auto address = member ? Result<std::string>(member->address) : Locate(node);
    if (address.ok()) addresses.insert(*address);
    ids.insert(RaftId(node));
  }
  if (!nodes.empty()) log::Warning("fault injection: the network to " + std::to_string(nodes.size()) + " node(s) is cut");
  else log::Warning("fault injection: the network is whole again");
  dist_->Cut(nodes, std::move(addresses));
  if (raft_) raft_->Cut(ids);
  uv_->Kick();
}

void ClusterImpl::PostChanged() {
  if (change_posted_ || !o_.metadata_changed) return;
  change_posted_ = true;
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    change_posted_ = false;
    o_.metadata_changed();
  });
}
const char* NodeTypeName(NodeType t) { return t == NodeType::kRam ? "ram" : "disc"; }

Result<std::unique_ptr<Cluster>> Cluster::Start(asio::io_context& io, ClusterOptions options) {
  auto c = std::make_unique<ClusterImpl>(io, std::move(options));
  WARREN_TRY(c->Boot());
  return std::unique_ptr<Cluster>(std::move(c));
}

}  // namespace warren::cluster
