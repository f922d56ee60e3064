// RaftLog: a replicated log (canonical libraft 0.15 with its libuv storage) that runs on
// the node's Asio io_context thread, on a libuv loop driven from Asio (uv_on_asio.h).
// Peers connect through the owner's own authenticated connections: outgoing ones come
// from a Dialer, incoming ones are handed in with Accept(). Owned and called by the
// thread running the io_context. Every callback (StateMachine, done) runs on that
// thread from inside the loop, never before the call that gave it returns; callbacks
// must not destroy the RaftLog. Not thread-safe, not copyable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace asio {
class io_context;
}

namespace warren::cluster {

class UvOnAsio;

// Voters elect the leader and count for commits; standbys receive the log without
// voting (warren's "ram node"); spares are members that receive nothing.
enum class Role { kVoter, kStandby, kSpare };

struct Member {
  uint64_t id = 0;       // > 0, unique in the cluster
  std::string address;   // opaque to raft: what the Dialer gets ("host:port")
  Role role = Role::kVoter;
};

// Answer to a dial: a connected socket that the receiver then owns, or -1 and why not.
using DialDone = std::function<void(int fd, std::string error)>;
// Connects to member `id` at `address` and authenticates; calls `done` exactly once,
// on the owning thread, now or later. A late answer after Close() is safe (fd closed).
using Dialer = std::function<void(uint64_t id, const std::string& address, DialDone done)>;

struct RaftOptions {
  uint64_t id = 0;
  std::string address;  // this node's own address, as peers dial it
  std::string dir;      // must exist; holds the log, metadata and snapshots
  unsigned election_timeout_ms = 1000;
  unsigned heartbeat_timeout_ms = 100;  // < election_timeout_ms
  unsigned snapshot_threshold = 1024;   // applied entries between snapshots
  unsigned snapshot_trailing = 128;     // entries kept in the log after a snapshot
  Dialer dial;
};

// The replicated state. Called on the owning thread, from inside the log's loop.
// Apply sees every committed command once per RaftLog instance, in index order. After
// a restart the log replays: Restore(latest snapshot), if there is one, then Apply for
// each committed entry after it, so a StateMachine starts empty at Open and rebuilds
// (one that persists its own state can skip indexes it already has).
class StateMachine {
 public:
  virtual ~StateMachine() = default;
  virtual void Apply(uint64_t index, std::string_view command) = 0;
  // The whole state as of the last applied index.
  virtual std::string Snapshot() = 0;
  // Replaces the whole state; an error fails the start or the snapshot install.
  virtual Status Restore(std::string_view snapshot) = 0;
};

class RaftLog {
 public:
  // Called with OK and the entry's index once it is applied here, or an error.
  using ProposeDone = std::function<void(Status, uint64_t index)>;
  using Done = std::function<void(Status)>;

  // Opens the log in options.dir without starting it, on a loop of its own. BadInput
  // for bad options, NotFound when the dir does not exist, Internal on I/O errors.
  // `fsm` must outlive the RaftLog.
  static Result<std::unique_ptr<RaftLog>> Open(asio::io_context& io, RaftOptions options,
                                               StateMachine* fsm);
  // The same on a loop shared with other users (the inter-node transport), which must
  // outlive the RaftLog.
  static Result<std::unique_ptr<RaftLog>> Open(UvOnAsio& uv, RaftOptions options,
                                               StateMachine* fsm);
  // Closes synchronously if Close() did not finish. REQUIRES: not inside a callback.
  ~RaftLog();
  RaftLog(const RaftLog&) = delete;
  RaftLog& operator=(const RaftLog&) = delete;

  // True when the dir holds state of an earlier run (then neither Bootstrap nor a join).
  bool HasState() const;
  // Writes the first configuration of a new cluster. Precondition when the dir has
  // state or after Start(). REQUIRES: this node is in `members`.
  Status Bootstrap(const std::vector<Member>& members);
  // Forces the configuration to `members` (this server among them), for a cluster that
  // lost a majority for good (force_boot): the log this server holds becomes the
  // cluster's. Before Start(), once.
  Status Recover(const std::vector<Member>& members);
  // Loads the log (Restore, then replays as it learns what is committed) and starts
  // taking part. A node that neither has state nor bootstrapped waits to be added.
  Status Start();

  // Appends `command`; `done` runs once it is applied here. Unavailable naming the
  // leader ("not the leader; leader is 2 at host:port") on a follower, or when
  // leadership is lost before the commit.
  void Propose(std::string command, ProposeDone done);
  // Propose, then runs only the loop (UvOnAsio::RunUntil) until applied or `timeout`.
  // Peers on the same thread but another loop make no progress meanwhile. Timeout when
  // time runs out; Precondition from inside a callback.
  Status ProposeAndWait(std::string command, std::chrono::milliseconds timeout);

  // Membership changes, on the leader only (Unavailable elsewhere); one at a time
  // (Precondition while another is in flight). NotFound for an unknown id,
  // AlreadyExists for a duplicate id or address.
  void AddVoter(uint64_t id, const std::string& address, Done done);  // catches up, then votes
  void AddStandby(uint64_t id, const std::string& address, Done done);
  void Assign(uint64_t id, Role role, Done done);
  void Remove(uint64_t id, Done done);
  // Hands leadership to `id` (0: the most up-to-date voter); OK when it took over,
  // Unavailable when the transfer lapsed.
  void Transfer(uint64_t id, Done done);

  // Gives raft a connected, authenticated socket that member `peer_id` opened to us;
  // the RaftLog owns `fd` from here (it is closed when not started or closed).
  void Accept(uint64_t peer_id, const std::string& peer_address, int fd);
  // Fault injection (tests of partitions): drops the connections with servers `ids`.
  void Cut(const std::set<uint64_t>& ids);

  std::vector<Member> Members() const;      // the latest configuration, committed or not
  std::optional<Member> Leader() const;     // as this node knows it; nothing in elections
  bool IsLeader() const;
  uint64_t LastApplied() const;
  // The index of the last entry in the local log, committed or not.
  uint64_t LastIndex() const;

  // Stops taking part; pending requests fail with Unavailable. `done` runs from the
  // loop once the log is closed (at once if it already is); then, outside of `done`,
  // the RaftLog may be destroyed. Idempotent.
  void Close(std::function<void()> done);

 private:
  Status SetConfiguration(const std::vector<Member>& members, bool recover);
  class Impl;
  explicit RaftLog(std::unique_ptr<Impl> impl);
  static Result<std::unique_ptr<RaftLog>> OpenOn(UvOnAsio& uv, std::unique_ptr<UvOnAsio> own_uv,
                                                 RaftOptions options, StateMachine* fsm);
  std::unique_ptr<Impl> impl_;
};

}  // namespace warren::cluster
