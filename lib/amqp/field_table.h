// AMQP field tables and arrays (method arguments, message headers, client properties)
// with RabbitMQ's value types. Each value keeps its wire tag, so a decoded table
// re-encodes byte for byte, duplicate names and entry order included. Value types;
// thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"

namespace warren::amqp {

class Reader;
class Writer;

struct FieldValue;
struct FieldEntry;

// 'D': value / 10^scale. RabbitMQ reads the value as unsigned.
struct Decimal {
  uint8_t scale = 0;
  uint32_t value = 0;
  bool operator==(const Decimal&) const = default;
};
// 'T': seconds since the epoch.
struct Timestamp {
  uint64_t seconds = 0;
  bool operator==(const Timestamp&) const = default;
};
// 'x': bytes, as opposed to 'S' which clients treat as text.
struct ByteArray {
  std::string bytes;
  bool operator==(const ByteArray&) const = default;
};
// 'L': RabbitMQ reads it as signed 64-bit, like 'l'; kept apart only for the round trip.
struct Int64L {
  int64_t value = 0;
  bool operator==(const Int64L&) const = default;
};
// 'V': no value.
struct Void {
  bool operator==(const Void&) const = default;
};

using FieldArray = std::vector<FieldValue>;  // 'A'

// 'F': entries in wire order; names may repeat, as they may on the wire.
struct FieldTable {
  std::vector<FieldEntry> entries;

  // The first entry named `name`, or nullptr.
  const FieldValue* Find(std::string_view name) const;
  // Replaces the first entry named `name`, or appends one.
  void Set(std::string name, FieldValue value);
  bool operator==(const FieldTable& other) const;
};

// Alternative i of a FieldValue is written with tag FieldValue::kTags[i].
using FieldStorage = std::variant<bool, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t,
                                  int64_t, Int64L, float, double, Decimal, std::string, ByteArray,
                                  FieldArray, Timestamp, FieldTable, Void>;

template <typename T>
concept FieldValueSource =
    !std::is_same_v<std::remove_cvref_t<T>, FieldValue> && std::is_constructible_v<FieldStorage, T>;

struct FieldValue {
  using Storage = FieldStorage;
  static constexpr char kTags[] = "tbBsuIilLfdDSxATFV";

  Storage value;

  FieldValue();  // 'V'; defined below, where FieldTable is complete
  template <FieldValueSource T>
  FieldValue(T&& v) : value(std::forward<T>(v)) {}  // NOLINT: implicit by design

  // The wire tag: 't', 'b', 'B', 's', 'u', 'I', 'i', 'l', 'L', 'f', 'd', 'D', 'S', 'x',
  // 'A', 'T', 'F' or 'V'.
  char tag() const;
  bool operator==(const FieldValue&) const = default;
};

struct FieldEntry {
  std::string name;
  FieldValue value;
  bool operator==(const FieldEntry&) const = default;
};

inline FieldValue::FieldValue() : value(Void{}) {}

inline bool FieldTable::operator==(const FieldTable& other) const {
  return entries == other.entries;
}

// Tables and arrays nested deeper than this are refused when decoding, so hostile input
// cannot exhaust the stack.
inline constexpr int kMaxFieldNesting = 64;

// Appends a table (32-bit size, then name/value pairs). A name over 255 bytes fails `w`.
void EncodeFieldTable(Writer& w, const FieldTable& table);
// Reads a table into `table` (replacing its content). A size that overruns the input, an
// unknown tag, a truncated value or nesting over kMaxFieldNesting fails `r`.
void DecodeFieldTable(Reader& r, FieldTable& table);

// Convenience wrappers for a table on its own. Errors are codec errors (codec_error.h):
// 541 when encoding fails, 501 FRAME_ERROR when `encoded` is not exactly one table.
Status AppendFieldTable(const FieldTable& table, std::string& out);
Result<FieldTable> ParseFieldTable(std::string_view encoded);

}  // namespace warren::amqp
