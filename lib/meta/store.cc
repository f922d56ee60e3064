#include "meta/store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/record_log.h"

namespace warren::meta {
namespace {
std::string SnapshotPath(const std::string& dir) { return dir + "/snapshot.json"; }
std::string LogPath(const std::string& dir) { return dir + "/commands.log"; }
}  // namespace

Store::Store(StoreOptions options) : options_(std::move(options)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::Unavailable("cannot create " + options.dir + ": " + ec.message());
  auto store = std::unique_ptr<Store>(new Store(std::move(options)));
  WARREN_TRY(store->Load());
  store->synced_end_ = store->log_->size();  // what recovery read back
  return store;
}

Status Store::Load() {
  // Tells the observer however it ends: from here on the state is reloaded.
  struct Reloaded {
    Store* s;
    ~Reloaded() { s->Changed(nullptr); }
  } reloaded{this};
  state_ = State();
  seq_ = 0;
  since_snapshot_ = 0;
  log_.reset();
  const std::string snap_path = SnapshotPath(options_.dir);
  Result<std::string> snap = store::ReadWholeFile(snap_path);
  if (snap.ok()) {
    json doc = json::parse(*snap, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("definitions"))
      return Status::BadInput("the metadata snapshot " + snap_path +
                              " is not valid JSON; restore it from a backup or reset the node");
    auto commands = State::CommandsFromDefinitions(doc["definitions"]);
    if (!commands.ok()) return commands.status();
    for (const auto& c : *commands) {
      Status s = state_.Apply(c);
      if (!s.ok()) return Status::BadInput("the metadata snapshot " + snap_path + ": " + s.message());
    }
    seq_ = doc.value("seq", uint64_t(0));
  } else if (snap.status().kind() == ErrorKind::kNotFound) {
    state_ = State::Initial(options_.initial_guest_hash ? options_.initial_guest_hash() : "");
  } else {
    return snap.status();
  }

  const uint64_t snapshot_seq = seq_;
  uint64_t skipped_bad = 0;
  store::Recovery rec;
  auto replay = [&](std::string_view payload) -> Status {
    json record = json::parse(payload, nullptr, false);
    if (record.is_discarded() || !record.contains("seq") || !record.contains("command")) {
      ++skipped_bad;
      return Status::OK();
    }
    uint64_t seq = record["seq"].get<uint64_t>();
    if (seq <= snapshot_seq) return Status::OK();  // already in the snapshot
    Status s = state_.Apply(record["command"]);
    if (!s.ok()) ++skipped_bad;
    seq_ = seq;
    ++since_snapshot_;
    return Status::OK();
  };
  WARREN_ASSIGN_OR_RETURN(log_, store::RecordLog::Open(LogPath(options_.dir), replay, &rec));
  if (rec.discarded_bytes > 0 && options_.warn) {
    options_.warn("metadata log " + LogPath(options_.dir) + ": recovered " +
                  std::to_string(rec.records) + " records up to byte " +
                  std::to_string(rec.valid_bytes) + "; discarded " +
                  std::to_string(rec.discarded_bytes) + " bytes after it (" + rec.reason + ")");
  }
  if (skipped_bad > 0 && options_.warn) {
    options_.warn("metadata log: skipped " + std::to_string(skipped_bad) +
                  " records that could not be applied");
  }
  if (!snap.ok()) {
    // First boot: make the initial state durable before anyone relies on it.
    WARREN_TRY(Snapshot());
  }
  return Status::OK();
}

void Store::Changed(const json& command) {
  ++revision_;
  if (!observer_) return;
  if (command.is_null())
    observer_(Change{nullptr, std::make_shared<const State>(state_)});
  else
    observer_(Change{command, nullptr});
}

Status Store::ReplaceState(const json& definitions) {
  WARREN_ASSIGN_OR_RETURN(std::vector<json> commands, State::CommandsFromDefinitions(definitions));
  State fresh;
  for (const auto& c : commands) {
    Status s = fresh.Apply(c);
    if (!s.ok()) return Status::BadInput("the cluster's metadata snapshot: " + s.message());
  }
  state_ = std::move(fresh);
  Changed(nullptr);
  return Status::OK();
}

Status Store::Submit(const json& command) {
  if (replicate_) return replicate_(command);
  // Apply validates before it mutates, so a refused command changes nothing.
  WARREN_TRY(state_.Apply(command));
  Changed(command);
  return Write(command, true);
}

Status Store::Write(const json& command, bool sync) {
  std::string framed;
  const size_t start = store::BeginRecord(framed);
  framed += json{{"seq", seq_ + 1}, {"command", command}}.dump();
  store::EndRecord(framed, start);
  Status s = sync ? log_->AppendFramed(framed) : log_->WriteFramed(framed);
  if (!s.ok()) {
    // Not durable, so not done: roll the state back to what the disk holds.
    Status reload = Load();
    if (!reload.ok() && options_.warn) options_.warn("metadata reload failed: " + reload.message());
    return s;
  }
  ++seq_;
  if (sync) synced_end_ = log_->size();
  if (++since_snapshot_ >= options_.snapshot_every) {
    Status snap = Snapshot();
    if (!snap.ok() && options_.warn) options_.warn("metadata snapshot failed: " + snap.message());
  }
  return Status::OK();
}

void Store::SubmitAsync(json command, std::function<void(Status)> done) {
  if (!replicate_async_) {
    if (options_.sync_in_background) return SubmitLocalAsync(command, std::move(done));
    done(Submit(command));
    return;
  }
  async_queue_.emplace_back(std::move(command), std::move(done));
  NextAsync();
}

void Store::SubmitLocalAsync(const json& command, std::function<void(Status)> done) {
  if (Status s = state_.Apply(command); !s.ok()) return done(s);
  Changed(command);
  const uint64_t epoch = log_epoch_;
  if (Status s = Write(command, false); !s.ok()) return done(s);
  if (log_epoch_ != epoch) return done(Status::OK());  // a snapshot made it durable
  unsynced_.push_back({log_epoch_, log_->size(), std::move(done)});
  if (!syncing_) StartSync();
}

void Store::StartSync() {
  syncing_ = true;
  const uint64_t epoch = log_epoch_;
  const uint64_t end = log_->size();
  const int fd = log_->DupFd();
  if (fd < 0) {
    return Synced(epoch, end, Status::Unavailable(std::string("cannot sync the metadata log: ") +
                                                  std::strerror(errno)));
  }
  options_.sync_in_background(fd, [this, alive = std::weak_ptr<bool>(alive_), epoch, end](Status s) {
    if (!alive.expired()) Synced(epoch, end, std::move(s));
  });
}

void Store::Synced(uint64_t epoch, uint64_t end, Status s) {
  syncing_ = false;
  if (s.ok() && epoch == log_epoch_ && end > synced_end_) synced_end_ = end;
  std::vector<std::function<void(Status)>> answered, failed;
  while (!unsynced_.empty() && Durable(unsynced_.front())) {
    answered.push_back(std::move(unsynced_.front().done));
    unsynced_.pop_front();
  }
  if (!s.ok() && !unsynced_.empty()) {
    // What the failed sync covered may not be on disk: the log is cut back to what is,
    // and the state reloaded from it, so that nothing answered as failed comes back.
    if (options_.warn)
      options_.warn("metadata log sync failed (" + s.message() + "); undoing " +
                    std::to_string(unsynced_.size()) + " changes not yet durable");
    Status cut = log_->TruncateTo(synced_end_);
    if (!cut.ok() && options_.warn) options_.warn(cut.message());
    Status reload = Load();
    if (!reload.ok() && options_.warn) options_.warn("metadata reload failed: " + reload.message());
    for (auto& u : unsynced_) failed.push_back(std::move(u.done));
    unsynced_.clear();
  }
  for (auto& done : answered) done(Status::OK());
  if (!failed.empty()) {
    const Status why = Status::Unavailable("cannot make the metadata change durable: " + s.message());
    for (auto& done : failed) done(why);
  }
  if (!unsynced_.empty() && !syncing_) StartSync();
}

void Store::NextAsync() {
  if (async_busy_ || async_queue_.empty()) return;
  if (!replicate_async_) {  // left the cluster meanwhile: the rest is local
    auto queued = std::move(async_queue_);
    async_queue_.clear();
    for (auto& [command, done] : queued) done(Submit(command));
    return;
  }
  async_busy_ = true;
  const json command = async_queue_.front().first;  // the callback may run inline
  replicate_async_(command, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
    if (alive.expired()) return;
    auto done = std::move(async_queue_.front().second);
    async_queue_.pop_front();
    async_busy_ = false;
    done(s);
    NextAsync();
  });
}

Status Store::SubmitBatch(std::vector<json> commands) {
  return Submit(json{{"op", "batch"}, {"commands", std::move(commands)}});
}

Status Store::Snapshot() {
  json doc = {{"seq", seq_}, {"definitions", state_.ToDefinitions()}};
  WARREN_TRY(store::WriteFileAtomically(SnapshotPath(options_.dir), doc.dump()));
  WARREN_TRY(log_->Reset());
  since_snapshot_ = 0;
  // Everything written so far is in the snapshot, durable.
  ++log_epoch_;
  synced_end_ = 0;
  return Status::OK();
}

Status Store::Reset() {
  log_.reset();
  std::error_code ec;
  std::filesystem::remove(SnapshotPath(options_.dir), ec);
  std::filesystem::remove(LogPath(options_.dir), ec);
  return Load();
}

}  // namespace warren::meta
