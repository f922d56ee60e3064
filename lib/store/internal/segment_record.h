// The payloads of the message store's segment records (docs/storage.md), framed by
// record_log.h's BeginRecord/EndRecord: [type u8][queue length u32][queue][id u64]
// [message], little-endian; a remove record has no message, a remove-queue record
// neither id nor message. Internal to lib/store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warren::store::internal {

enum class RecordType : char { kAppend = 'A', kRemove = 'R', kRemoveQueue = 'Q' };

constexpr size_t kRecordOverhead = 1 + 4 + 8;  // type, queue length, id

struct SegmentRecord {
  RecordType type;
  std::string_view queue;
  uint64_t id = 0;
  std::string_view payload;
};

inline void PutLe(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

inline uint64_t GetLe(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(uint8_t(in[size_t(i)])) << (8 * i);
  return v;
}

// Appends the payload of `r` to `out` (between BeginRecord and EndRecord).
inline void EncodeRecord(std::string& out, const SegmentRecord& r) {
  out.push_back(char(r.type));
  PutLe(out, r.queue.size(), 4);
  out.append(r.queue);
  if (r.type == RecordType::kRemoveQueue) return;
  PutLe(out, r.id, 8);
  if (r.type == RecordType::kAppend) out.append(r.payload);
}

// False for bytes that are no record of a known type; `out` views `in`.
inline bool DecodeRecord(std::string_view in, SegmentRecord* out) {
  if (in.size() < 5) return false;
  const char type = in[0];
  if (type != char(RecordType::kAppend) && type != char(RecordType::kRemove) &&
      type != char(RecordType::kRemoveQueue))
    return false;
  out->type = RecordType(type);
  const uint64_t qlen = GetLe(in.substr(1), 4);
  in.remove_prefix(5);
  if (in.size() < qlen) return false;
  out->queue = in.substr(0, qlen);
  in.remove_prefix(qlen);
  out->id = 0;
  out->payload = {};
  if (out->type == RecordType::kRemoveQueue) return in.empty();
  if (in.size() < 8) return false;
  out->id = GetLe(in, 8);
  in.remove_prefix(8);
  if (out->type == RecordType::kRemove) return in.empty();
  out->payload = in;
  return true;
}

}  // namespace warren::store::internal
