// An append-only log of records on disk: each record is [u32 length][u32 CRC-32][payload],
// little-endian. Append returns only after the record is on disk (fdatasync). Opening a
// log replays every whole record and cuts off a torn or corrupt tail, reporting what it
// cut, so a crash mid-write loses only the record that was never acknowledged.
// BeginRecord/EndRecord frame records into a caller's buffer (the message store's
// segments use the same framing). Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace warren::store {

constexpr size_t kRecordHeaderBytes = 8;
// Longer records are read as corruption; writers must stay below.
constexpr uint32_t kMaxRecordBytes = 256u << 20;

// Starts a record at the end of `out` by reserving its header; returns its start.
size_t BeginRecord(std::string& out);
// Completes the record begun at `start`: what was appended since is its payload.
// REQUIRES: the payload is at most kMaxRecordBytes.
void EndRecord(std::string& out, size_t start);

struct Recovery {
  uint64_t records = 0;          // whole records replayed
  uint64_t valid_bytes = 0;      // where the log now ends
  uint64_t discarded_bytes = 0;  // cut off after the last whole record
  std::string reason;            // why bytes were cut ("torn record", "checksum mismatch")
};

class RecordLog {
 public:
  ~RecordLog();
  RecordLog(const RecordLog&) = delete;
  RecordLog& operator=(const RecordLog&) = delete;

  // Opens or creates `path`, calls `replay` for each whole record in order and
  // truncates whatever follows the last one. A replay error stops and is returned.
  static Result<std::unique_ptr<RecordLog>> Open(
      const std::string& path, const std::function<Status(std::string_view)>& replay,
      Recovery* recovery);

  // Writes one record and syncs it. Unavailable on an I/O error (disk full, ...).
  Status Append(std::string_view payload);
  // Appends several records with one sync (a group commit).
  Status AppendBatch(const std::vector<std::string>& payloads);
  // Appends records framed by BeginRecord/EndRecord with one write and one fdatasync.
  // On error nothing of them stays in the file; Unavailable.
  Status AppendFramed(std::string_view records);
  // The write of AppendFramed without the fdatasync: the records are in the file (the
  // page cache) but not yet durable. On error nothing of them stays; Unavailable.
  Status WriteFramed(std::string_view records);
  // A new descriptor of the file, for an fdatasync on another thread (the caller
  // closes it); -1 with errno set when none can be made.
  int DupFd() const;
  // Empties the log (after its content went into a snapshot).
  Status Reset();
  // Cuts the log back to its first `size` bytes (records written but found not durable).
  Status TruncateTo(uint64_t size);
  uint64_t size() const { return size_; }

 private:
  RecordLog(int fd, std::string path, uint64_t size) : fd_(fd), path_(std::move(path)), size_(size) {}
  int fd_;
  std::string path_;
  uint64_t size_;
};

// Writes `data` to `path` so that a crash leaves either the old or the new file:
// temp file, fsync, rename, fsync of the directory.
Status WriteFileAtomically(const std::string& path, std::string_view data);
// fsyncs the directory `dir`, so that files created, renamed or removed in it stay so.
Status SyncDirectory(const std::string& dir);
// The whole content of `path`; NotFound when it does not exist.
Result<std::string> ReadWholeFile(const std::string& path);
// The distinct non-empty lines of `path` (a list of names, one per line); empty when
// the file does not exist or cannot be read.
std::set<std::string> ReadLineSet(const std::string& path);

}  // namespace warren::store
