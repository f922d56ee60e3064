#include "store/record_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/bytes.h"

namespace warren::store {
namespace {

constexpr size_t kHeader = kRecordHeaderBytes;
constexpr uint32_t kMaxRecord = kMaxRecordBytes;

Status IoError(const std::string& what, const std::string& path) {
  return Status::Unavailable(what + " " + path + ": " + std::strerror(errno));
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(p[i])) << (8 * i);
  return v;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t w = ::write(fd, data.data(), data.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    data.remove_prefix(size_t(w));
  }
  return Status::OK();
}

void SetU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = char((v >> (8 * i)) & 0xff);
}

}  // namespace

size_t BeginRecord(std::string& out) {
  const size_t start = out.size();
  out.append(kHeader, '\0');
  return start;
}

void EndRecord(std::string& out, size_t start) {
  std::string_view payload(out.data() + start + kHeader, out.size() - start - kHeader);
  SetU32(out.data() + start, uint32_t(payload.size()));
  SetU32(out.data() + start + 4, Crc32(payload));
}

RecordLog::~RecordLog() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<RecordLog>> RecordLog::Open(
    const std::string& path, const std::function<Status(std::string_view)>& replay,
    Recovery* recovery) {
  Recovery local;
  Recovery& rec = recovery ? *recovery : local;
  rec = Recovery{};
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot open", path);
  auto log = std::unique_ptr<RecordLog>(new RecordLog(fd, path, 0));

  Result<std::string> content = ReadWholeFile(path);
  if (!content.ok()) return content.status();
  const std::string& data = *content;
  size_t off = 0;
  while (off < data.size()) {
    if (data.size() - off < kHeader) {
      rec.reason = "torn record header";
      break;
    }
    uint32_t len = GetU32(data.data() + off);
    uint32_t crc = GetU32(data.data() + off + 4);
    if (len > kMaxRecord) {
      rec.reason = "corrupt record length";
      break;
    }
    if (data.size() - off - kHeader < len) {
      rec.reason = "torn record";
      break;
    }
    std::string_view payload(data.data() + off + kHeader, len);
    if (Crc32(payload) != crc) {
      rec.reason = "checksum mismatch";
      break;
    }
    WARREN_TRY(replay(payload));
    off += kHeader + len;
    ++rec.records;
  }
  rec.valid_bytes = off;
  rec.discarded_bytes = data.size() - off;
  if (rec.discarded_bytes > 0) {
    if (::ftruncate(fd, off_t(off)) != 0 || ::fdatasync(fd) != 0)
      return IoError("cannot truncate", path);
  }
  if (::lseek(fd, 0, SEEK_END) < 0) return IoError("cannot seek", path);
  log->size_ = off;
  return log;
}

Status RecordLog::Append(std::string_view payload) {
  return AppendBatch({std::string(payload)});
}

Status RecordLog::AppendBatch(const std::vector<std::string>& payloads) {
  std::string buf;
  for (const auto& p : payloads) {
    size_t start = BeginRecord(buf);
    buf.append(p);
    EndRecord(buf, start);
  }
  return AppendFramed(buf);
}

Status RecordLog::WriteFramed(std::string_view buf) {
  Status s = WriteAll(fd_, buf, path_);
  if (!s.ok()) {
    (void)!::ftruncate(fd_, off_t(size_));
    (void)::lseek(fd_, 0, SEEK_END);
    return s;
  }
  size_ += buf.size();
  return Status::OK();
}

int RecordLog::DupFd() const { return ::fcntl(fd_, F_DUPFD_CLOEXEC, 0); }

Status RecordLog::AppendFramed(std::string_view buf) {
  Status s = WriteAll(fd_, buf, path_);
  if (s.ok() && ::fdatasync(fd_) != 0) s = IoError("cannot sync", path_);
  if (!s.ok()) {
    // Leave no partial record behind: a later append must not follow garbage.
    (void)!::ftruncate(fd_, off_t(size_));
    (void)::lseek(fd_, 0, SEEK_END);
    return s;
  }
  size_ += buf.size();
  return Status::OK();
}

Status RecordLog::Reset() {
  if (::ftruncate(fd_, 0) != 0 || ::fdatasync(fd_) != 0) return IoError("cannot truncate", path_);
  if (::lseek(fd_, 0, SEEK_SET) < 0) return IoError("cannot seek", path_);
  size_ = 0;
  return Status::OK();
}

Status RecordLog::TruncateTo(uint64_t size) {
  if (size >= size_) return Status::OK();
  if (::ftruncate(fd_, off_t(size)) != 0 || ::fdatasync(fd_) != 0)
    return IoError("cannot truncate", path_);
  if (::lseek(fd_, 0, SEEK_END) < 0) return IoError("cannot seek", path_);
  size_ = size;
  return Status::OK();
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", tmp);
  Status s = WriteAll(fd, data, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = IoError("cannot sync", tmp);
  ::close(fd);
  if (!s.ok()) return s;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return IoError("cannot rename", tmp);
  std::string dir = path.substr(0, path.find_last_of('/') == std::string::npos
                                       ? 0
                                       : path.find_last_of('/'));
  (void)SyncDirectory(dir.empty() ? "." : dir);
  return Status::OK();
}

Status SyncDirectory(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return IoError("cannot open directory", dir);
  Status s = ::fsync(dfd) == 0 ? Status::OK() : IoError("cannot sync directory", dir);
  ::close(dfd);
  return s;
}

std::set<std::string> ReadLineSet(const std::string& path) {
  std::set<std::string> out;
  auto text = ReadWholeFile(path);
  if (!text.ok()) return out;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) out.insert(text->substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no such file: " + path);
    return IoError("cannot open", path);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof(buf));
    if (r < 0) {
      if (errno == EINTR) continue;
      Status s = IoError("cannot read", path);
      ::close(fd);
      return s;
    }
    if (r == 0) break;
    out.append(buf, size_t(r));
  }
  ::close(fd);
  return out;
}

}  // namespace warren::store
