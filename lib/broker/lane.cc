#include "broker/lane.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"

namespace warren::broker {
namespace {

constexpr size_t kWriteChunk = 1 << 20;  // bytes buffered before a write
constexpr size_t kReadChunk = 4 << 20;   // bytes read back at a time

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += char((v >> (8 * i)) & 0xff);
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += char((v >> (8 * i)) & 0xff);
}
uint64_t GetU(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= uint64_t(uint8_t(p[i])) << (8 * i);
  return v;
}

}  // namespace

Lane::~Lane() { CloseFile(); }

Lane::Lane(Lane&& o) noexcept { *this = std::move(o); }

Lane& Lane::operator=(Lane&& o) noexcept {
  if (this == &o) return *this;
  CloseFile();
  paging_ = o.paging_;
  stem_ = std::move(o.stem_);
  head_ = std::move(o.head_);
  fd_ = o.fd_;
  path_ = std::move(o.path_);
  write_buf_ = std::move(o.write_buf_);
  file_end_ = o.file_end_;
  read_pos_ = o.read_pos_;
  paged_ = o.paged_;
  paged_persistent_ = o.paged_persistent_;
  paged_persistent_bytes_ = o.paged_persistent_bytes_;
  paged_bytes_ = o.paged_bytes_;
  o.fd_ = -1;
  o.paged_ = 0;
  return *this;
}

void Lane::CloseFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(path_.c_str());
  fd_ = -1;
  file_end_ = read_pos_ = 0;
  write_buf_.clear();
}

Entry* Lane::front() {
  if (head_.empty()) PageIn();
  return head_.empty() ? nullptr : &head_.front();
}

void Lane::pop_front() {
  if (head_.empty()) return;
  head_.pop_front();
  // Read the next chunk back before the head runs dry, so deliveries do not wait on it.
  if (paged_ > 0 && paging_ && head_.size() < paging_->page_above / 2) PageIn();
}

void Lane::push_back(Entry e) {
  const bool page = paging_ && !paging_->dir.empty() &&
                    (paged_ > 0 || head_.size() >= paging_->page_above);
  if (!page) {
    head_.push_back(std::move(e));
    return;
  }
  if (fd_ < 0) {
    path_ = paging_->dir + "/" + stem_;
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      // Without a page file the lane holds everything in memory, as before paging.
      log::Warning("cannot create the page file " + path_ + ": " + std::strerror(errno) +
                   "; the queue keeps its messages in memory");
      head_.push_back(std::move(e));
      return;
    }
  }
  PageOut(e);
}

void Lane::PageOut(const Entry& e) {
  const std::string bytes = SerializeMessage(*e.message);
  PutU32(write_buf_, uint32_t(8 + 8 + 1 + bytes.size()));
  PutU64(write_buf_, e.seq);
  PutU64(write_buf_, uint64_t(e.expires_at));
  write_buf_ += char((e.redelivered ? 1 : 0) | (e.persisted ? 2 : 0));
  write_buf_ += bytes;
  ++paged_;
  paged_bytes_ += e.message->body.size();
  if (e.message->persistent()) {
    ++paged_persistent_;
    paged_persistent_bytes_ += e.message->body.size();
  }
  if (write_buf_.size() < kWriteChunk) return;
  if (::pwrite(fd_, write_buf_.data(), write_buf_.size(), off_t(file_end_)) ==
      ssize_t(write_buf_.size())) {
    file_end_ += write_buf_.size();
    write_buf_.clear();
  }
  // A failed write keeps the bytes buffered (in memory) and is retried with the next.
}

void Lane::PageIn() {
  if (paged_ == 0) return;
  if (read_pos_ == file_end_) {
    // What is left is all in the write buffer: take it from there, and let the file be
    // reused from its start.
    read_pos_ = file_end_ = 0;
    std::string chunk = std::move(write_buf_);
    write_buf_.clear();
    const size_t used = Decode(chunk);
    write_buf_ = chunk.substr(used);  // still older than anything paged out later
  } else {
    uint64_t want = std::min<uint64_t>(kReadChunk, file_end_ - read_pos_);
    std::string chunk(want, '\0');
    ssize_t n = ::pread(fd_, chunk.data(), chunk.size(), off_t(read_pos_));
    if (n >= 4) {
      // An entry larger than a chunk is read whole.
      const uint64_t first = 4 + GetU(chunk.data(), 4);
      if (first > uint64_t(n) && read_pos_ + first <= file_end_) {
        chunk.resize(first);
        n = ::pread(fd_, chunk.data(), chunk.size(), off_t(read_pos_));
      }
    }
    if (n <= 0) {
      log::Error("cannot read the page file " + path_ + ": " + std::strerror(errno) + "; its " +
                 std::to_string(paged_) + " messages are lost");
      Lose();
    } else {
      chunk.resize(size_t(n));
      read_pos_ += Decode(chunk);
    }
  }
  if (paged_ == 0) CloseFile();
}

size_t Lane::Decode(const std::string& chunk) {
  size_t at = 0;
  const size_t target = paging_ ? paging_->page_above : 0;
  while (at + 4 <= chunk.size() && paged_ > 0 && head_.size() < std::max<size_t>(target, 1)) {
    const uint32_t len = uint32_t(GetU(chunk.data() + at, 4));
    if (len < 17) {
      log::Error("page file " + path_ + " is corrupt; its " + std::to_string(paged_) +
                 " remaining messages are lost");
      Lose();
      return chunk.size();
    }
    if (at + 4 + len > chunk.size()) break;  // the rest comes with the next read
    const char* p = chunk.data() + at + 4;
    at += 4 + len;
    --paged_;
    auto m = DeserializeMessage(std::string_view(p + 17, len - 17));
    if (!m.ok()) {
      ++lost_;
      log::Error("page file " + path_ + ": an entry does not decode (" + m.status().message() +
                 "); it is dropped");
      continue;
    }
    Entry e{std::move(m).value(), GetU(p, 8), int64_t(GetU(p + 8, 8)), (p[16] & 1) != 0,
            (p[16] & 2) != 0};
    paged_bytes_ -= e.message->body.size();
    if (e.message->persistent()) {
      --paged_persistent_;
      paged_persistent_bytes_ -= e.message->body.size();
    }
    head_.push_back(std::move(e));
  }
  return at;
}

void Lane::Lose() {
  lost_ += paged_;
  lost_bytes_ += paged_bytes_;
  paged_ = 0;
  paged_bytes_ = paged_persistent_ = paged_persistent_bytes_ = 0;
}

void Lane::insert_by_seq(Entry e) {
  auto at = std::upper_bound(head_.begin(), head_.end(), e.seq,
                             [](uint64_t seq, const Entry& x) { return seq < x.seq; });
  head_.insert(at, std::move(e));
}

void Lane::clear() {
  head_.clear();
  paged_ = 0;
  paged_bytes_ = 0;
  paged_persistent_ = paged_persistent_bytes_ = 0;
  CloseFile();
}

}  // namespace warren::broker
