// Reader and Writer: the big-endian primitives every AMQP encoding is built from.
// A Reader is a bounded cursor over borrowed bytes with a sticky failure flag: a read
// past the end (or a Fail()) records the first error, and every later read returns zero
// without moving, so decoders check failed() once per frame instead of after each field.
// A Writer appends to a caller's string with the same sticky-error discipline.
// Both are cheap, single-owner, not thread-safe; reads and writes never allocate per byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::amqp {

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint16_t U16() { return static_cast<uint16_t>(Big(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Big(4)); }
  uint64_t U64() { return Big(8); }
  // The next `n` bytes, borrowed from the input; empty after a failure.
  std::string_view Take(size_t n) {
    if (!Need(n)) return {};
    std::string_view v(p_, n);
    p_ += n;
    return v;
  }
  std::string_view ShortStr() { return Take(U8()); }
  std::string_view LongStr() { return Take(U32()); }

  // Names what is being read, so a failure message can say which field was bad.
  // REQUIRES: `name` outlives the reader (a string literal).
  void Field(const char* name) { field_ = name; }
  // Records `what` as the failure unless one is already recorded; later reads yield zero.
  void Fail(std::string_view what);

  bool failed() const { return failed_; }
  // "field routing-key: needs 12 bytes, 3 remain"; empty while !failed().
  const std::string& error() const { return error_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

 private:
  bool Need(size_t n) {
    if (failed_) return false;
    if (remaining() < n) {
      Truncated(n);
      return false;
    }
    return true;
  }
  uint64_t Big(size_t n) {
    if (!Need(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p_[i]);
    p_ += n;
    return v;
  }
  void Truncated(size_t needed);  // out of line: the cold path

  const char* p_;
  const char* end_;
  const char* field_ = nullptr;
  bool failed_ = false;
  std::string error_;
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Big(v, 2); }
  void U32(uint32_t v) { Big(v, 4); }
  void U64(uint64_t v) { Big(v, 8); }
  void Bytes(std::string_view v) { out_.append(v); }
  // Fails for a string over 255 bytes (and then writes nothing).
  void ShortStr(std::string_view v);
  // Fails for a string over 4 GiB - 1 (and then writes nothing).
  void LongStr(std::string_view v);
  // Appends a 32-bit placeholder and returns its offset, for a size known only later.
  size_t Reserve32() {
    const size_t at = out_.size();
    out_.append(4, '\0');
    return at;
  }
  // Overwrites the placeholder at `at` with `v`. REQUIRES: `at` came from Reserve32().
  void Patch32(size_t at, uint32_t v) {
    for (int i = 3; i >= 0; --i, v >>= 8) out_[at + static_cast<size_t>(i)] = static_cast<char>(v);
  }
  size_t size() const { return out_.size(); }

  void Field(const char* name) { field_ = name; }
  void Fail(std::string_view what);
  bool failed() const { return failed_; }
  // OK, or the first failure as a codec error (reply code 541) that names `what`.
  Status Finish(std::string_view what) const;

 private:
  void Big(uint64_t v, int n) {
    char b[8];
    for (int i = n - 1; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v);
    out_.append(b, static_cast<size_t>(n));
  }

  std::string& out_;
  const char* field_ = nullptr;
  bool failed_ = false;
  std::string error_;
};

}  // namespace warren::amqp
