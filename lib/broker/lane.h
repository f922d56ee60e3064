// One priority lane of a queue's ready messages, in order. Past `page_above` messages in
// memory, newer messages are paged out to a file of their own (the lane's page file)
// and read back in chunks as the head drains, so a backlog of millions of messages
// keeps only its head in memory. Order is kept: while anything is paged out, new
// messages go to the page file too. Page files are scratch: they hold nothing a restart
// needs (persistent messages are also in the message store). Used on its queue's shard.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>
#include <string>

#include "broker/queue_entry.h"

namespace warren::broker {

struct PagingOptions {
  std::string dir;              // where page files go; empty: never page out
  size_t page_above = 65536;    // messages held in memory before paging out
};

class Lane {
 public:
  Lane() = default;
  Lane(const PagingOptions* paging, std::string file_stem)
      : paging_(paging), stem_(std::move(file_stem)) {}
  ~Lane();
  Lane(Lane&& other) noexcept;
  Lane& operator=(Lane&& other) noexcept;
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  bool empty() const { return head_.empty() && paged_ == 0; }
  size_t size() const { return head_.size() + paged_; }
  // The first entry, paged in if need be; nullptr when none could be read back (the
  // page file failed: see TakeLost).
  Entry* front();
  // REQUIRES: front() returned an entry.
  void pop_front();
  void push_back(Entry e);
  // A requeued entry back at its place by sequence number (always among the head:
  // anything paged out is newer than what was delivered).
  void insert_by_seq(Entry e);
  void clear();

  // Messages (count, body bytes) lost to a failed or corrupt page file since the last
  // call; the queue takes them off its counts.
  std::pair<size_t, uint64_t> TakeLost() {
    auto r = std::make_pair(lost_, lost_bytes_);
    lost_ = 0;
    lost_bytes_ = 0;
    return r;
  }
  size_t paged() const { return paged_; }
  uint64_t paged_bytes() const { return paged_bytes_; }  // their bodies
  // Persistent messages (count, body bytes) among the paged-out ones.
  uint64_t paged_persistent() const { return paged_persistent_; }
  uint64_t paged_persistent_bytes() const { return paged_persistent_bytes_; }
  // The messages held in memory, in order.
  const std::deque<Entry>& in_memory() const { return head_; }

 private:
  void PageOut(const Entry& e);
  void PageIn();
  // Moves entries from `chunk` (whole encoded entries) to the head, up to page_above
  // of them; returns the bytes used.
  size_t Decode(const std::string& chunk);
  void CloseFile();
  // The rest of the page file cannot be read: its messages are counted lost.
  void Lose();

  const PagingOptions* paging_ = nullptr;
  std::string stem_;
  std::deque<Entry> head_;
  int fd_ = -1;
  std::string path_;
  std::string write_buf_;   // encoded entries not yet written to the file
  uint64_t file_end_ = 0;   // bytes written to the file
  uint64_t read_pos_ = 0;   // the next paged-out entry's offset
  size_t paged_ = 0;
  size_t lost_ = 0;
  uint64_t lost_bytes_ = 0;
  uint64_t paged_bytes_ = 0;
  uint64_t paged_persistent_ = 0;
  uint64_t paged_persistent_bytes_ = 0;
};

}  // namespace warren::broker
