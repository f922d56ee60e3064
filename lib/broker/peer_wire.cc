#include "broker/peer_wire.h"

namespace warren::broker::peer {
namespace {

void PutInt(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(char((v >> (8 * i)) & 0xff));
}

bool KnownOp(uint8_t op) {
  return (op >= uint8_t(Op::kPublish) && op <= uint8_t(Op::kDirectReply)) ||
         (op >= uint8_t(Op::kConfirm) && op <= uint8_t(Op::kFlow));
}

}  // namespace

FrameWriter::FrameWriter(std::string& out, Op op) : out_(out), start_(out.size()) {
  out_.append(4, '\0');
  out_.push_back(char(op));
}

FrameWriter& FrameWriter::U8(uint8_t v) {
  out_.push_back(char(v));
  return *this;
}
FrameWriter& FrameWriter::U16(uint16_t v) {
  PutInt(out_, v, 2);
  return *this;
}
FrameWriter& FrameWriter::U32(uint32_t v) {
  PutInt(out_, v, 4);
  return *this;
}
FrameWriter& FrameWriter::U64(uint64_t v) {
  PutInt(out_, v, 8);
  return *this;
}
FrameWriter& FrameWriter::Str(std::string_view s) {
  PutInt(out_, s.size(), 4);
  out_.append(s);
  return *this;
}

void FrameWriter::Finish() {
  const uint64_t len = out_.size() - start_ - 4;
  for (int i = 0; i < 4; ++i) out_[start_ + i] = char((len >> (8 * (3 - i))) & 0xff);
}

Result<uint64_t> FieldReader::Int(size_t n) {
  if (p_.size() < n) return Status::BadInput("peer frame: truncated field");
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | uint8_t(p_[i]);
  p_.remove_prefix(n);
  return v;
}

Result<uint8_t> FieldReader::U8() {
  WARREN_ASSIGN_OR_RETURN(uint64_t v, Int(1));
  return uint8_t(v);
}
Result<uint16_t> FieldReader::U16() {
  WARREN_ASSIGN_OR_RETURN(uint64_t v, Int(2));
  return uint16_t(v);
}
Result<uint32_t> FieldReader::U32() {
  WARREN_ASSIGN_OR_RETURN(uint64_t v, Int(4));
  return uint32_t(v);
}
Result<uint64_t> FieldReader::U64() { return Int(8); }

Result<std::string_view> FieldReader::Str() {
  WARREN_ASSIGN_OR_RETURN(uint64_t n, Int(4));
  if (p_.size() < n) return Status::BadInput("peer frame: truncated string");
  std::string_view s = p_.substr(0, n);
  p_.remove_prefix(n);
  return s;
}

std::string_view FieldReader::Rest() {
  std::string_view s = p_;
  p_ = {};
  return s;
}

Result<std::optional<std::pair<Frame, size_t>>> NextFrame(std::string_view bytes) {
  if (bytes.size() < 5) return std::optional<std::pair<Frame, size_t>>();
  uint64_t len = 0;
  for (int i = 0; i < 4; ++i) len = (len << 8) | uint8_t(bytes[i]);
  if (len == 0 || len > kMaxFrame)
    return Status::BadInput("peer frame of " + std::to_string(len) + " bytes");
  const uint8_t op = uint8_t(bytes[4]);
  if (!KnownOp(op)) return Status::BadInput("peer frame with unknown op " + std::to_string(op));
  if (bytes.size() < 4 + len) return std::optional<std::pair<Frame, size_t>>();
  return std::make_optional(
      std::make_pair(Frame{Op(op), bytes.substr(5, len - 1)}, size_t(4 + len)));
}

}  // namespace warren::broker::peer
