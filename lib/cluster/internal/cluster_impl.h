// The cluster's implementation (cluster/cluster.h), shared by its two files:
// cluster.cc (boot, membership as seen from this node, the replicated state machine,
// naming) and leader.cc (requests from other members, what the leader does for them,
// and proposals). Internal to lib/cluster.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "cluster/cluster.h"
#include "cluster/dist.h"
#include "cluster/internal/members.h"
#include "cluster/raft/raft_log.h"
#include "cluster/raft/uv_on_asio.h"

namespace warren::cluster {

using namespace std::chrono_literals;

inline constexpr auto kCallTimeout = 10s;
inline constexpr auto kJoinTimeout = 30s;
// How long a proposal may wait for a leader to be elected before giving up.
inline constexpr auto kLeaderWait = 5s;

// A member's answer as it crosses the transport: {"ok": true} or the error's kind,
// reason and subject.
Status StatusFromReply(const json& body);
json ReplyFromStatus(const Status& s);

class ClusterImpl : public Cluster, public StateMachine {
 public:
  ClusterImpl(asio::io_context& io, ClusterOptions o)
      : io_(io), o_(std::move(o)), alive_(std::make_shared<bool>(true)) {}
  ~ClusterImpl() override { Close(); }

  Status Boot();

  bool clustered() const override { return raft_ != nullptr; }
  bool with_majority() const override { return !raft_ || raft_->Leader().has_value(); }
  bool ready() const override {
    return !raft_ || (raft_->Leader().has_value() && members_.Find(o_.self) != nullptr &&
                      raft_->LastApplied() >= boot_index_);
  }
  int dist_port() const override { return dist_->port(); }

  std::vector<MemberInfo> Members() const override;

  // --- joining and leaving ---------------------------------------------------

  Status Join(const std::string& seed, NodeType type,
              const std::function<Status()>& wipe) override;

  Status Leave() override;
  Status CheckThrough(const std::string& seed) override;

  Result<bool> SetType(NodeType type) override;

  void Abandon() override;

  Status CheckConsistent() override;

  Status Forget(const std::string& node) override;

  json Survey(std::chrono::milliseconds timeout) override;
  json Ask(const json& request, std::chrono::milliseconds timeout) override {
    return Ask(request, timeout, nullptr);
  }
  Result<json> CallMember(const std::string& node, const json& request,
                          std::chrono::milliseconds timeout) override;
  // Also gives, for each member that did not answer, why (its error, or no answer).
  json Ask(const json& request, std::chrono::milliseconds timeout,
           std::map<std::string, std::string>* failed);

  void DialBroker(const std::string& from, const std::string& to,
                  std::function<void(int fd, std::string error)> done) override;
  void Cut(const std::set<std::string>& nodes) override;
  void Tick() override;
  void Close() override;

  // --- the replicated state machine (raft/raft_log.h) ----------------------

  void Apply(uint64_t index, std::string_view command) override;

  std::string Snapshot() override;

  Status Restore(std::string_view snapshot) override;

 private:
  Status ApplySnapshot(const json& doc);

  // --- requests from other nodes -------------------------------------------

  void OnRequest(const std::string& from, const json& req, Reply reply);

  // A follower forwards a command; the leader proposes it and answers with its index
  // and the outcome of applying it.
  void OnPropose(const json& req, Reply reply);

  // On the leader (HandleOnLeader forwards there): add a member, remove one.
  Result<json> HandleJoin(const json& req);
  Result<json> HandleLeave(const json& req);

  // A disc node votes, a ram node follows the log as a standby. The last disc node
  // stays one, as in RabbitMQ.
  Result<json> HandleSetType(const json& req);

  // Makes this standalone node a cluster of one: its Raft log starts with its current
  // metadata, so nodes that join later receive it.
  Status Form();
  // forget_cluster_node --offline at boot: the Raft configuration without `forget`.
  Status RecoverWithout(const std::set<std::string>& forget);
  // After force_boot or forget_cluster_node --offline: `nodes` leave the member list.
  void ForgetMembers(const std::set<std::string>& nodes);
  std::set<std::string> pending_forget_;  // members to forget once a leader is known

  // join / leave / set_type: forwarded to the leader unless this node leads; a join
  // first makes a standalone node a cluster of one.
  Result<json> HandleOnLeader(const json& req);

  // Asks the leader to carry out `req`: directly, or through any member that answers
  // (a node the others forgot may not know who leads).
  Result<json> AskLeader(const json& req);

  Status RemoveThroughLeader(const std::string& node);

  // --- proposals ---------------------------------------------------------------

  // Store::Submit while clustered: commit `command` through the leader and return once
  // it is applied here, with the outcome of applying it.
  Status Replicate(const json& command);

  // On the leader: appends `command` and waits until it is applied here.
  Status ProposeHere(const json& command);

  // Store::SubmitAsync while clustered: Replicate without waiting. done(status) runs
  // on the loop once the command is applied here, with the same outcomes and errors.
  void ReplicateAsync(const json& command, std::function<void(Status)> done);
  struct AsyncProposal;
  void TryReplicate(std::shared_ptr<AsyncProposal> p);
  void RetryReplicate(std::shared_ptr<AsyncProposal> p, std::chrono::milliseconds after);
  // Runs `then(true)` once this node has applied `index`, or `then(false)` after `timeout`.
  void WhenApplied(uint64_t index, std::chrono::milliseconds timeout,
                   std::function<void(bool)> then);
  void WakeApplied(uint64_t applied);
  std::multimap<uint64_t, std::function<void(bool)>> apply_waiters_;
  // Since when this node has known no leader (Tick); empty while it knows one. A change
  // made after kLeaderWait of that fails at once: no election is under way, the
  // majority is out of reach (a partition), and waiting would only hold the caller.
  std::chrono::steady_clock::time_point leaderless_since_{};
  // On the leader (Tick): pings every member each second; one silent for
  // node_down_after is down, and its non-durable queues and exchanges are removed
  // ("node.down", once until it answers again).
  void CheckMembersAlive();
  std::map<std::string, std::chrono::steady_clock::time_point> last_heard_;
  std::set<std::string> reported_down_;
  bool LongLeaderless() const {
    return leaderless_since_ != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() - leaderless_since_ >= kLeaderWait;
  }
  // The store commits through this cluster (Replicate and ReplicateAsync).
  void ReplicateStore();
  static Status NoLeader();
  // A proposal failed by leadership going: it may or may not take effect (libraft
  // cannot tell), so it is not retried.
  static Status LostLeadership(const Status& why);

  // Followers learn that an entry is committed from the next entry the leader sends,
  // which may be a heartbeat away; an empty entry sent at once lets every node apply a
  // change within a round trip. One at a time: changes made meanwhile ask for another.
  void Nudge();

  Status ResultAt(uint64_t index) const;

  Result<json> ForwardToLeader(const json& req, std::chrono::milliseconds timeout);

  // Sends `req` to `address` and waits for the reply: by AwaitUntil when `on_fiber`
  // (a question nothing else here depends on), else with only the libuv loop running.
  Result<json> CallAndWait(const std::string& address, const json& req,
                           std::chrono::milliseconds timeout, bool on_fiber = false);
  // Waits until `ready()` or `timeout`; false on the timeout. On a fiber (an operator's
  // request) it suspends the fiber, looking again each millisecond, and the node's
  // loop goes on meanwhile; elsewhere it runs only the libuv loop, as RunUntil does.
  // For waits on questions to other members, which nothing else here depends on;
  // `this` is not used once the wait began, so the cluster may go meanwhile.
  bool AwaitUntil(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

  Status WaitDone(const std::function<void(RaftLog::Done)>& start,
                  std::chrono::milliseconds timeout = kCallTimeout);

  // --- the log's lifecycle -------------------------------------------------------

  bool HasRaftState() const;

  Status OpenRaft();

  // Closes the log and forgets it: this node is standalone again, with a blank store.
  void DropRaft();

  // Waits at boot (up to boot_wait) until the metadata this node had is confirmed by
  // the cluster.
  void CatchUp();

  // --- naming -------------------------------------------------------------------

  // A node's Raft id: a 64-bit FNV-1a hash of its name (never 0).
  static uint64_t RaftId(const std::string& node);

  // Where peers reach this node: the host of its name and its inter-node port.
  std::string Address() const;

  std::string PortFile(const std::string& node) const { return o_.run_dir + "/" + node + ".dist"; }

  // Local nodes publish their inter-node port beside their control socket, as epmd
  // would; a node on another host is reached on the default port 25672.
  Status Publish();

  Result<std::string> Locate(const std::string& node) const;

  void PostChanged();

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

}  // namespace warren::cluster
