// Cluster membership and replicated metadata (DESIGN decision 4; docs/clustering.md).
// A node is standalone until it joins or is joined: its metadata store then commits
// every command through a Raft log shared by the cluster's disc nodes (ram nodes follow
// it without voting), and the cluster's member list lives in the same replicated state.
// Everything inter-node goes through the transport of cluster/dist.h on the node's
// libuv loop, which runs on the node's Asio thread.
//
// Blocking calls (Submit while clustered, Join, Leave, Forget, Status) run only the
// inter-node loop while they wait, so they must be called from an Asio handler (an
// admin operation, an AMQP frame), never from inside an inter-node callback.
// Not thread-safe: owned by the node's control thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace asio {
class io_context;
}
namespace warren::meta {
class Store;
}

namespace warren::cluster {

using json = nlohmann::json;

enum class NodeType { kDisc, kRam };
const char* NodeTypeName(NodeType t);  // "disc" | "ram"

struct ClusterOptions {
  std::string self;      // this node's name, name@host
  std::string cookie;
  std::string dist_ip = "::";
  int dist_port = 25672;
  std::string dir;       // <data dir>/cluster: the Raft log and snapshots
  std::string run_dir;   // where local nodes publish their inter-node port
  // force_boot's mark (base/node_env.h): when it exists at boot, this member recovers
  // the cluster alone, and the mark is removed.
  std::string force_boot_file;
  // forget_cluster_node --offline's list: when it exists at boot, the members it names
  // leave the Raft configuration and the member list, and it is removed.
  std::string forget_nodes_file;
  meta::Store* store = nullptr;
  // The replicated metadata changed (posted to the Asio loop, coalesced).
  std::function<void()> metadata_changed;
  // This node's facts for peers' cluster_status: listeners, alarms, versions, app state.
  std::function<json()> local_facts;
  // An admin operation asked for over the inter-node port (a CLI on another host):
  // {"method", "path", "query", "body"} -> {"status": HTTP status, "body": reply}.
  // Runs from the Asio loop.
  std::function<json(const json& request)> control;
  // This node's own queues in `vhost` for a member's list_queues (list_queues --local
  // rows). Runs inside the inter-node callback, so it must not wait on the cluster.
  std::function<Result<json>(const std::string& vhost)> local_queues;
  // An authenticated broker link from holder `from` (a member, or one of its shards:
  // base/node_env.h, HolderNode) to holder `to` of this node (cluster/dist.h): the
  // callee owns `fd`. Runs on the Asio thread, from the inter-node loop.
  std::function<void(const std::string& from, const std::string& to, int fd)> on_broker_link;
  // How long a clustered node's boot waits for the cluster to confirm its metadata;
  // after that the boot completes and the app starts once it is confirmed (ready()).
  std::chrono::milliseconds boot_wait{std::chrono::seconds(2)};
  // The leader takes a member that has not answered its pings for this long for down,
  // and removes the member's non-durable queues and exchanges from the metadata, as
  // RabbitMQ does at nodedown (net_ticktime).
  std::chrono::milliseconds node_down_after{std::chrono::seconds(60)};
  unsigned election_timeout_ms = 1000;
  unsigned heartbeat_timeout_ms = 100;
};

struct MemberInfo {
  std::string node;
  NodeType type = NodeType::kDisc;
};

class Cluster {
 public:
  virtual ~Cluster() = default;
  // Starts the inter-node listener and, when this node was clustered before, its Raft
  // log, waiting up to boot_wait for the metadata to catch up. Unavailable naming the
  // port or directory that failed.
  static Result<std::unique_ptr<Cluster>> Start(asio::io_context& io, ClusterOptions options);

  virtual bool clustered() const = 0;
  // False while a clustered node has not yet heard from a leader and applied the log
  // it had when it started: its metadata may lag, so its app must not start.
  virtual bool ready() const = 0;
  // True when this member is standalone or knows a leader, i.e. it is on the side of
  // a majority of the disc nodes (a leader cut off from them steps down).
  virtual bool with_majority() const = 0;
  // The members, this node included, as the replicated state holds them.
  virtual std::vector<MemberInfo> Members() const = 0;
  virtual int dist_port() const = 0;

  // Makes this (stopped) node a member of the cluster `seed` belongs to. Once the seed
  // has answered, `wipe` returns this node to a blank state (what it held alone gives
  // way to the cluster's); an unreachable seed leaves it untouched. Unavailable when
  // the seed cannot be reached or refuses the cookie; BadInput for a seed that is
  // this node.
  virtual Status Join(const std::string& seed, NodeType type,
                      const std::function<Status()>& wipe) = 0;
  // update_cluster_nodes: checks through `seed` that this member is still in its
  // cluster. Raft needs nothing more: the leader reaches every member of the
  // configuration. Unavailable when the seed cannot be reached or does not list this
  // node, in RabbitMQ's words.
  virtual Status CheckThrough(const std::string& seed) = 0;
  // Leaves the cluster (reset): the others remove this node; it becomes standalone.
  virtual Status Leave() = 0;
  // Makes this member a disc (voting) or ram (standby) node; false when it already is.
  // Unavailable on a standalone node; Precondition for the last disc node.
  virtual Result<bool> SetType(NodeType type) = 0;
  // Leaves without telling anyone (force_reset): the others still list this node.
  virtual void Abandon() = 0;
  // Before the app starts: Unavailable when a member that answers no longer lists this
  // node (it was forgotten while stopped), with RabbitMQ's inconsistent_cluster words.
  virtual Status CheckConsistent() = 0;
  // Removes `node`, which must be stopped, from the cluster. NotFound when it is not a
  // member; Precondition when it is this node or still running.
  virtual Status Forget(const std::string& node) = 0;
  // Facts from every member that answers: {node: facts}. A member that cannot be
  // reached although its port did not refuse the connection (a cut network, a paused
  // process) is {node: {"unreachable": true}}; one that is down is missing.
  virtual json Survey(std::chrono::milliseconds timeout) = 0;
  // Sends `request` to every other member at once and waits up to `timeout`: the
  // replies {node: reply} of those that answered in time; errors and silent members
  // are missing. Blocking, as above; on a fiber, only the fiber waits (the node's loop
  // goes on).
  virtual json Ask(const json& request, std::chrono::milliseconds timeout) = 0;
  // Sends `request` to member `node` and waits up to `timeout` for its reply. NotFound
  // when `node` is not a member; Unavailable or Timeout when it does not answer.
  // Blocking, as above; on a fiber, only the fiber waits.
  virtual Result<json> CallMember(const std::string& node, const json& request,
                                  std::chrono::milliseconds timeout) = 0;

  // Opens an authenticated broker link from holder `from` of this node to holder `to`
  // of a member (the member itself, or one of its shards): done(fd, "") or
  // done(-1, reason), later, on the Asio thread.
  virtual void DialBroker(const std::string& from, const std::string& to,
                          std::function<void(int fd, std::string error)> done) = 0;

  // Once a second, from the Asio loop: notes how long this node has known no leader
  // (see kLeaderWait), and does work that waits for the cluster to be ready (members
  // forgotten while this node was down leave the member list).
  virtual void Tick() = 0;

  // Fault injection for tests of partitions (docs/clustering.md): drops every link with
  // `nodes` (inter-node requests, Raft) and refuses new ones, until called again with
  // other nodes (none: healed).
  virtual void Cut(const std::set<std::string>& nodes) = 0;

  // Closes the transport and the log.
  virtual void Close() = 0;
};

}  // namespace warren::cluster
