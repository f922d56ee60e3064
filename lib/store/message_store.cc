// The write path of the message store: buffering, group commit, segment roll-over and
// the deletion of obsolete segments. Opening and recovery are in message_store_open.cc.
#include "store/message_store.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "store/internal/segment_record.h"
#include "store/record_log.h"

namespace warren::store {

using internal::RecordType;
using internal::SegmentRecord;

MessageStore::MessageStore(MessageStoreOptions options) : options_(std::move(options)) {}
MessageStore::~MessageStore() = default;

std::string MessageStore::SegmentPath(uint64_t number) const {
  char name[32];
  std::snprintf(name, sizeof(name), "%020llu.seg", static_cast<unsigned long long>(number));
  return options_.dir + "/" + name;
}

void MessageStore::Warn(const std::string& message) const {
  if (options_.warn) options_.warn("message store: " + message);
}

// The message at `held` is removed by a record of the active segment.
void MessageStore::Release(uint64_t segment) {
  auto seg = segments_.find(segment);
  if (seg != segments_.end()) {
    // The active segment is never deleted; rolling over flags it for collection.
    if (--seg->second.live == 0 && segment != active_) collect_ = true;
    if (segment != active_) segments_[active_].pins.insert(segment);
  }
  --live_;
}

void MessageStore::Hold(std::string_view queue, uint64_t id) {
  auto q = index_.find(queue);
  if (q == index_.end()) q = index_.emplace(std::string(queue), QueueIndex{}).first;
  if (!q->second.Insert(id, active_)) {
    // The same id again replaces the held message: the old copy is removed by this
    // record, which pins its segment as a removal would.
    Release(*q->second.Erase(id));
    q->second.Insert(id, active_);
  }
  ++segments_[active_].live;
  ++live_;
}

bool MessageStore::Drop(std::string_view queue, uint64_t id) {
  auto q = index_.find(queue);
  if (q == index_.end()) return false;
  auto segment = q->second.Erase(id);
  if (!segment) return false;
  Release(*segment);
  if (q->second.empty()) index_.erase(q);
  return true;
}

bool MessageStore::DropQueue(std::string_view queue) {
  auto q = index_.find(queue);
  if (q == index_.end()) return false;
  q->second.ForEach([&](uint64_t, uint64_t segment) { Release(segment); });
  index_.erase(q);
  return true;
}

void MessageStore::Buffer(const SegmentRecord& record) {
  const size_t start = BeginRecord(buffer_);
  internal::EncodeRecord(buffer_, record);
  EndRecord(buffer_, start);
}

Status MessageStore::Append(std::string_view queue, uint64_t id, std::string_view payload) {
  if (queue.size() + payload.size() + internal::kRecordOverhead > kMaxRecordBytes) {
    return Status::BadInput("a message of " + std::to_string(payload.size()) +
                            " bytes exceeds the message store's record limit of " +
                            std::to_string(kMaxRecordBytes) + " bytes");
  }
  Buffer(SegmentRecord{RecordType::kAppend, queue, id, payload});
  Hold(queue, id);
  return Status::OK();
}

void MessageStore::Remove(std::string_view queue, uint64_t id) {
  // Never held, or removed already: nothing to write.
  if (Drop(queue, id)) Buffer(SegmentRecord{RecordType::kRemove, queue, id, {}});
}

void MessageStore::RemoveQueue(std::string_view queue) {
  if (DropQueue(queue)) Buffer(SegmentRecord{RecordType::kRemoveQueue, queue, 0, {}});
}

Status MessageStore::Sync() {
  if (buffer_.empty()) return Status::OK();
  WARREN_TRY(log_->AppendFramed(buffer_));
  buffer_.clear();
  segments_[active_].bytes = log_->size();
  if (log_->size() >= options_.segment_bytes) {
    // The batch is durable whatever happens here; a failed roll-over is retried at the
    // next Sync and only lets this segment grow.
    Status rolled = StartSegment(active_ + 1);
    if (!rolled.ok()) Warn("cannot start a new segment: " + rolled.message());
  }
  Synced();
  return Status::OK();
}

Result<MessageStore::WriteResult> MessageStore::WriteOut() {
  WriteResult r;
  if (buffer_.empty()) return r;
  WARREN_TRY(log_->WriteFramed(buffer_));
  buffer_.clear();
  segments_[active_].bytes = log_->size();
  r.wrote = true;
  if (log_->size() >= options_.segment_bytes) {
    const int sealed = log_->DupFd();
    if (sealed < 0) return r;  // the segment grows on; the roll-over is retried next time
    Status rolled = StartSegment(active_ + 1);
    if (!rolled.ok()) {
      Warn("cannot start a new segment: " + rolled.message());
      ::close(sealed);
      return r;
    }
    r.sealed_fd = sealed;
  }
  return r;
}

int MessageStore::SyncFd() const { return log_->DupFd(); }

void MessageStore::Synced() {
  if (collect_) Collect();
}

Status MessageStore::StartSegment(uint64_t number) {
  WARREN_ASSIGN_OR_RETURN(
      auto log, RecordLog::Open(SegmentPath(number), [](std::string_view) { return Status::OK(); },
                                nullptr));
  // The new file's name must be durable before records in it are acknowledged.
  WARREN_TRY(SyncDirectory(options_.dir));
  log_ = std::move(log);
  active_ = number;
  segments_[number].bytes = log_->size();
  collect_ = true;  // the segment just closed may hold no live message
  return Status::OK();
}

// Deletes the segments that hold no live message and pin no segment on disk, in waves:
// the directory is synced after each wave, so a segment is never gone for good while
// a segment it pins might still come back after a crash.
void MessageStore::Collect() {
  collect_ = false;
  if (directory_dirty_) {
    if (Status s = SyncDirectory(options_.dir); !s.ok()) {
      Warn(s.message());
      collect_ = true;
      return;
    }
    directory_dirty_ = false;
  }
  for (;;) {
    std::vector<uint64_t> wave;
    for (auto& [number, seg] : segments_) {
      if (number == active_ || seg.live > 0) continue;
      std::erase_if(seg.pins, [&](uint64_t p) { return segments_.count(p) == 0; });
      if (seg.pins.empty()) wave.push_back(number);
    }
    if (wave.empty()) return;
    for (uint64_t number : wave) {
      const std::string path = SegmentPath(number);
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        Warn("cannot delete " + path + ": " + std::strerror(errno));
        collect_ = true;
        return;
      }
      segments_.erase(number);
      directory_dirty_ = true;
    }
    if (Status s = SyncDirectory(options_.dir); !s.ok()) {
      Warn(s.message());
      collect_ = true;
      return;
    }
    directory_dirty_ = false;
  }
}

MessageStore::Stats MessageStore::stats() const {
  Stats s;
  s.segments = segments_.size();
  for (const auto& [_, seg] : segments_) s.bytes += seg.bytes;
  s.live_messages = live_;
  return s;
}

}  // namespace warren::store
