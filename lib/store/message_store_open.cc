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
      if (auto q = index_.find(r.queue); q != index_.end() && q->second.Find(r.id))
        replaced_.emplace(std::string(r.queue), r.id);
      Hold(r.queue, r.id);
      return;
    }
    case internal::RecordType::kRemove:
      (void)Drop(r.queue, r.id);
      return;
    case internal::RecordType::kRemoveQueue:
      (void)DropQueue(r.queue);
      return;
  }
}

Status MessageStore::Recover(const Deliver& deliver) {
  if (recovered_) return Status::OK();
  recovered_ = true;
  std::map<std::pair<std::string, uint64_t>, std::string> last_copies;
  std::vector<uint64_t> numbers;
  for (const auto& [number, _] : segments_) numbers.push_back(number);
  for (uint64_t number : numbers) {
    auto log = RecordLog::Open(
        SegmentPath(number),
        [&](std::string_view bytes) {
          internal::SegmentRecord r;
          if (!internal::DecodeRecord(bytes, &r) || r.type != internal::RecordType::kAppend)
            return Status::OK();
          auto q = index_.find(r.queue);
          // Held, and by this copy: removed and replaced copies are skipped.
          if (q == index_.end() || q->second.Find(r.id) != number) return Status::OK();
          if (!replaced_.empty()) {
            std::pair<std::string, uint64_t> key{std::string(r.queue), r.id};
            if (replaced_.count(key)) {
              last_copies[std::move(key)] = std::string(r.payload);
              return Status::OK();
            }
          }
          deliver(std::string(r.queue), r.id, r.payload);
          return Status::OK();
        },
        nullptr);
    if (!log.ok()) return log.status();
  }
  for (const auto& [key, payload] : last_copies) {
    auto q = index_.find(key.first);
    if (q != index_.end() && q->second.Find(key.second)) deliver(key.first, key.second, payload);
  }
  replaced_.clear();
  return Status::OK();
}

std::map<std::string, std::vector<RecoveredMessage>> MessageStore::Recover() {
  std::map<std::string, std::vector<RecoveredMessage>> out;
  Status s = Recover([&](const std::string& queue, uint64_t id, std::string_view payload) {
    out[queue].push_back({id, std::string(payload)});
  });
  if (!s.ok()) Warn("cannot read the message store back: " + s.message());
  for (auto& [queue, messages] : out)
    std::sort(messages.begin(), messages.end(),
              [](const RecoveredMessage& a, const RecoveredMessage& b) { return a.id < b.id; });
  return out;
}

}  // namespace warren::store
