// The durable metadata store of one node: the State plus a RecordLog of the commands
// applied to it, and a snapshot (definitions JSON) that the log is folded into now and
// then. Submit returns OK only once the command is on disk. Opening recovers the
// snapshot, then every whole log record after it; a torn tail is cut and reported.
// Not thread-safe: owned by the node's control shard.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "meta/state.h"
#include "meta/view.h"

namespace warren::store {
class RecordLog;
}

namespace warren::meta {

struct StoreOptions {
  std::string dir;                      // holds snapshot.json and commands.log
  uint64_t snapshot_every = 10000;      // log records between snapshots
  std::function<std::string()> initial_guest_hash;  // guest's hash on a blank node
  std::function<void(const std::string&)> warn;     // recovery notices for the log
  // When set, SubmitAsync on a local store writes its command without waiting for the
  // disk and hands an fdatasync of the log (on a descriptor of its own, which the call
  // closes) to this; done(status) must run later on the store's thread. Commands
  // written meanwhile share the next sync (a group commit), and each is answered once
  // it is durable. Unset: SubmitAsync syncs inline, as Submit does.
  std::function<void(int fd, std::function<void(Status)> done)> sync_in_background;
};

class Store : public View {
 public:
  ~Store() override;
  // Unavailable when the directory cannot be used; BadInput when the snapshot is
  // unreadable (the node must not start on metadata it cannot trust).
  static Result<std::unique_ptr<Store>> Open(StoreOptions options);

  const State& state() const override { return state_; }
  // Applies `command` and makes it durable. The command's own error (NotFound, ...)
  // leaves everything unchanged; an I/O error rolls the state back and is Unavailable.
  Status Submit(const json& command) override;
  // Several commands as one all-or-nothing record.
  Status SubmitBatch(std::vector<json> commands);
  // Back to a blank node (vhost / and guest), durably.
  Status Reset();
  // Folds the log into a new snapshot.
  Status Snapshot();
  uint64_t last_seq() const { return seq_; }
  // Moves whenever the state changes: a local command, a replicated one, a state
  // replaced or reloaded. What caches part of the state compares it.
  uint64_t revision() const override { return revision_; }

  // Like Submit, without waiting: done(status) runs once the command is applied here
  // and durable, or has failed. A replicated store answers later, on the caller's loop,
  // handing the cluster one command at a time so that they commit in the order
  // submitted (a delete and the declaration after it never swap). A local one answers
  // before SubmitAsync returns, or with options.sync_in_background once the sync that
  // covers the command returns. A refused command is answered at once.
  void SubmitAsync(json command, std::function<void(Status)> done) override;

  using Replicate = std::function<Status(const json&)>;
  using ReplicateAsync = std::function<void(const json&, std::function<void(Status)>)>;
  // Clustered (cluster/cluster.h): Submit hands commands to `replicate`, which returns
  // once the cluster committed the command and ApplyReplicated applied it here, and
  // SubmitAsync to `replicate_async`, which calls back then; the local log is not
  // written. Empty functions return the store to local mode.
  void SetReplicator(Replicate replicate, ReplicateAsync replicate_async) {
    replicate_ = std::move(replicate);
    replicate_async_ = std::move(replicate_async);
  }
  bool replicated() const override { return bool(replicate_); }
  // Applies a command the cluster committed, in commit order.
  Status ApplyReplicated(const json& command) {
    WARREN_TRY(state_.Apply(command));
    Changed(command);
    return Status::OK();
  }
  // Replaces the whole state with `definitions` (the cluster's snapshot); BadInput
  // leaves the state as it was.
  Status ReplaceState(const json& definitions);

  // One change to the state, as replicas (replica.h) follow it: a command applied, or
  // the whole state replaced (`replaced` set: a reload, a reset, the cluster's snapshot).
  struct Change {
    json command;
    std::shared_ptr<const State> replaced;
  };
  // Hears every change, in order, on the store's thread, right after it is applied
  // (before the change is durable and answered). Empty: nobody listens.
  void set_observer(std::function<void(const Change&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  explicit Store(StoreOptions options);
  Status Load();
  // The state moved by `command`, or was replaced (`command` null).
  void Changed(const json& command);
  std::function<void(const Change&)> observer_;

  StoreOptions options_;
  State state_;
  uint64_t seq_ = 0;           // sequence number of the last applied command
  uint64_t revision_ = 0;
  uint64_t since_snapshot_ = 0;
  std::unique_ptr<store::RecordLog> log_;
  Replicate replicate_;
  ReplicateAsync replicate_async_;
  // SubmitAsync's commands not yet handed to the cluster, and whether one is with it.
  std::deque<std::pair<json, std::function<void(Status)>>> async_queue_;
  bool async_busy_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  void NextAsync();

  // Local commands written but not yet answered (options_.sync_in_background), in log
  // order: the log's epoch and its size after the record. While any is here, a
  // background sync is in flight.
  struct Unsynced {
    uint64_t epoch;
    uint64_t end;
    std::function<void(Status)> done;
  };
  std::deque<Unsynced> unsynced_;
  uint64_t synced_end_ = 0;  // in the current epoch, the log is durable up to here
  uint64_t log_epoch_ = 0;   // counts the times the log was emptied into a snapshot
  bool syncing_ = false;
  // A record of an earlier epoch is in a snapshot, durable.
  bool Durable(const Unsynced& u) const { return u.epoch < log_epoch_ || u.end <= synced_end_; }
  void SubmitLocalAsync(const json& command, std::function<void(Status)> done);
  void StartSync();
  void Synced(uint64_t epoch, uint64_t end, Status s);
  // Appends one command record; `sync` waits for the disk.
  Status Write(const json& command, bool sync);
};

}  // namespace warren::meta
