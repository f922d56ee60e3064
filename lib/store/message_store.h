// The persistent messages of durable queues (DESIGN decision 6): append-only segment
// files of CRC-framed records (append, remove, remove-queue) in one directory. Appends
// and removals are buffered in memory; Sync writes the batch with one write() and one
// fdatasync (a group commit), so a publisher confirm sent after Sync is never early.
// A segment whose messages are all removed is deleted whole, never in a way that could
// bring a removed message back. docs/storage.md has the format and recovery rules.
// Not thread-safe: one owner (the shard or thread that owns the queues it serves).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "store/internal/held_index.h"

namespace warren::store {

class RecordLog;
namespace internal {
struct SegmentRecord;
}

struct MessageStoreOptions {
  std::string dir;                               // created if missing
  uint64_t segment_bytes = 64ull << 20;          // a segment rolls over past this size
  std::function<void(const std::string&)> warn;  // recovery and clean-up notices
};

struct RecoveredMessage {
  uint64_t id;
  std::string payload;
};

class MessageStore {
 public:
  ~MessageStore();
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Creates the directory if needed and reads every segment in it; a torn or corrupt
  // record ends its segment (the rest of that segment is cut, other segments are kept)
  // and is reported through `warn` with the file and offset. Unavailable when the
  // directory or a segment cannot be created, read or written.
  static Result<std::unique_ptr<MessageStore>> Open(MessageStoreOptions options);

  // Every message appended and not removed before the last Sync of the previous run,
  // handed to `deliver` (queue key, id, payload) as a second pass over the segments
  // reads it, so that a large backlog is never held in memory whole. A queue's messages
  // come in the order they were appended, except an id appended more than once, whose
  // last copy comes at the end. REQUIRES: called once, after Open, before any Append;
  // `deliver` may Remove what it cannot use.
  using Deliver =
      std::function<void(const std::string& queue, uint64_t id, std::string_view payload)>;
  Status Recover(const Deliver& deliver);
  // The same, collected: per queue key, in id order. For tests and small stores.
  std::map<std::string, std::vector<RecoveredMessage>> Recover();

  // Buffers a message of `queue` (an opaque key). Ids are unique per queue; appending
  // an id that is held replaces it. Not durable until Sync. BadInput when the record
  // would exceed kMaxRecordBytes.
  Status Append(std::string_view queue, uint64_t id, std::string_view payload);
  // Buffers the removal (an ack) of a held message; an unknown id is ignored.
  void Remove(std::string_view queue, uint64_t id);
  // Buffers the removal of every message `queue` holds (the queue was deleted or purged).
  void RemoveQueue(std::string_view queue);

  // Writes what is buffered and makes it durable with one fdatasync, then rolls the
  // segment over and deletes obsolete segments as needed. Unavailable on an I/O error;
  // the buffered records are kept and written by the next Sync.
  Status Sync();

  // Sync in three steps, so that fdatasyncs can run on other threads while the owner
  // goes on appending: WriteOut writes the buffered records (wrote is false when there
  // were none; on error they stay buffered) and, when the active segment is full,
  // starts a new one and hands back a descriptor of the full one (sealed_fd), whose
  // fdatasync the caller owes like any other; SyncFd gives a descriptor whose
  // fdatasync makes everything written to the active segment so far durable. The
  // caller closes both. Synced, back on the owner's thread after an fdatasync, deletes
  // segments nothing needs.
  struct WriteResult {
    bool wrote = false;
    int sealed_fd = -1;
  };
  Result<WriteResult> WriteOut();
  int SyncFd() const;
  void Synced();
  // Whether records were buffered since the last successful Sync.
  bool dirty() const { return !buffer_.empty(); }

  struct Stats {
    uint64_t segments = 0;       // segment files on disk
    uint64_t bytes = 0;          // their total size (buffered records not counted)
    uint64_t live_messages = 0;  // appended and not removed, buffered ones included
  };
  Stats stats() const;

 private:
  // What the store knows of one segment file.
  struct Segment {
    uint64_t bytes = 0;
    uint64_t live = 0;  // messages appended in it and not removed
    // Earlier segments holding messages that this segment's removal records removed:
    // while one of them is on disk, deleting this one would bring those messages back.
    std::set<uint64_t> pins;
  };
  using QueueIndex = internal::HeldIndex;

  explicit MessageStore(MessageStoreOptions options);
  Status Load();
  Status ReplaySegment(uint64_t number, bool last);
  void Replay(std::string_view record, uint64_t* undecodable);
  // Index updates shared by the write path and recovery; the record doing them is in
  // the active segment. Drop and DropQueue return false when nothing was held.
  void Hold(std::string_view queue, uint64_t id);
  bool Drop(std::string_view queue, uint64_t id);
  bool DropQueue(std::string_view queue);
  // A message held in `segment` was removed (by a record in the active segment).
  void Release(uint64_t segment);
  void Buffer(const internal::SegmentRecord& record);
  Status StartSegment(uint64_t number);
  void Collect();
  std::string SegmentPath(uint64_t number) const;
  void Warn(const std::string& message) const;

  MessageStoreOptions options_;
  std::map<uint64_t, Segment> segments_;
  uint64_t active_ = 0;               // the segment being written
  std::unique_ptr<RecordLog> log_;    // open on the active segment
  std::string buffer_;                // framed records not yet written
  std::map<std::string, QueueIndex, std::less<>> index_;  // where each held message lives
  uint64_t live_ = 0;
  bool collect_ = false;              // a segment may have become obsolete
  bool directory_dirty_ = false;      // unlinks not yet made durable
  // Ids Open saw appended again while held (queue key, id): Recover hands over only
  // their last copy.
  std::set<std::pair<std::string, uint64_t>> replaced_;
  bool recovered_ = false;
};

}  // namespace warren::store
