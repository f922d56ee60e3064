// Opening the message store: the directory scan and the replay of every segment, in
// order, into the index of held messages (docs/storage.md, "Recovery").
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <optional>

#include "store/internal/segment_record.h"
#include "store/message_store.h"
#include "store/record_log.h"

namespace warren::store {
namespace {

constexpr size_t kDigits = 20;
constexpr std::string_view kSuffix = ".seg";

// The number of a segment file ("00000000000000000042.seg" -> 42); nullopt for others.
std::optional<uint64_t> SegmentNumber(const std::string& name) {
  if (name.size() != kDigits + kSuffix.size() || name.compare(kDigits, kSuffix.size(), kSuffix) != 0)
    return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, n);
  if (ec != std::errc() || end != name.data() + kDigits || n == 0) return std::nullopt;
  return n;
}

}  // namespace

Result<std::unique_ptr<MessageStore>> MessageStore::Open(MessageStoreOptions options) {
  if (options.dir.empty()) return Status::BadInput("the message store needs a directory");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create the message store directory " + options.dir + ": " +
                               ec.message());
  }
  auto store = std::unique_ptr<MessageStore>(new MessageStore(std::move(options)));
  WARREN_TRY(store->Load());
  return store;
}

Status MessageStore::Load() {
  std::vector<uint64_t> numbers;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(options_.dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (auto n = SegmentNumber(it->path().filename().string())) numbers.push_back(*n);
  }
  if (ec) {
    return Status::Unavailable("cannot read the message store directory " + options_.dir + ": " +
                               ec.message());
  }
  std::sort(numbers.begin(), numbers.end());
  for (size_t i = 0; i < numbers.size(); ++i)
    WARREN_TRY(ReplaySegment(numbers[i], i + 1 == numbers.size()));
  if (numbers.empty()) WARREN_TRY(StartSegment(1));
  // What the previous run left obsolete (a crash between a Sync and its clean-up).
  Collect();
  return Status::OK();
}

// Replays one segment with the active segment set to it, as the records were written.
Status MessageStore::ReplaySegment(uint64_t number, bool last) {
  active_ = number;
  segments_.try_emplace(number);
  uint64_t undecodable = 0;
  Recovery rec;
  const std::string path = SegmentPath(number);
  auto log = RecordLog::Open(
      path,
      [&](std::string_view record) {
        Replay(record, &undecodable);
        return Status::OK();
      },
      &rec);
  if (!log.ok()) return log.status();
  segments_[number].bytes = rec.valid_bytes;
  if (rec.discarded_bytes > 0) {
    Warn(path + ": " + rec.reason + " at offset " + std::to_string(rec.valid_bytes) + "; cut " +
         std::to_string(rec.discarded_bytes) + " bytes from there, kept " +
         std::to_string(rec.records) + " whole records before it");
  }
  if (undecodable > 0) {
    Warn(path + ": skipped " + std::to_string(undecodable) +
         " records that are no message store records");
  }
  if (last) log_ = std::move(log).value();
  return Status::OK();
}

void MessageStore::Replay(std::string_view bytes, uint64_t* undecodable) {
  internal::SegmentRecord r;
  if (!internal::DecodeRecord(bytes, &r)) {
    ++*undecodable;
    return;
  }
  switch (r.type) {
    case internal::RecordType::kAppend: {
      Hold(r.queue, r.id);
      auto q = recovered_.find(r.queue);
      if (q == recovered_.end()) q = recovered_.emplace(std::string(r.queue), Payloads{}).first;
      q->second[r.id] = std::string(r.payload);
      return;
    }
    case internal::RecordType::kRemove:
      if (Drop(r.queue, r.id)) {
        auto q = recovered_.find(r.queue);
        if (q != recovered_.end() && q->second.erase(r.id) && q->second.empty()) recovered_.erase(q);
      }
      return;
    case internal::RecordType::kRemoveQueue:
      if (DropQueue(r.queue)) {
        if (auto q = recovered_.find(r.queue); q != recovered_.end()) recovered_.erase(q);
      }
      return;
  }
}

std::map<std::string, std::vector<RecoveredMessage>> MessageStore::Recover() {
  std::map<std::string, std::vector<RecoveredMessage>> out;
  for (auto& [queue, payloads] : recovered_) {
    // Ids are the queue's order (the broker numbers its messages as it enqueues them).
    std::vector<uint64_t> order;
    order.reserve(payloads.size());
    for (const auto& [id, _] : payloads) order.push_back(id);
    std::sort(order.begin(), order.end());
    auto& messages = out[queue];
    messages.reserve(order.size());
    for (uint64_t id : order) messages.push_back({id, std::move(payloads[id])});
  }
  recovered_.clear();
  return out;
}

}  // namespace warren::store
