#include "amqp/field_table.h"

#include <bit>
#include <cctype>
#include <limits>

#include "amqp/codec_error.h"
#include "amqp/spec.h"
#include "amqp/wire.h"

namespace warren::amqp {
namespace {

static_assert(sizeof(FieldValue::kTags) - 1 == std::variant_size_v<FieldValue::Storage>);

void EncodeValue(Writer& w, const FieldValue& v);

void EncodeTableBody(Writer& w, const FieldTable& table) {
  for (const FieldEntry& entry : table.entries) {
    if (entry.name.size() > std::numeric_limits<uint8_t>::max()) {
      w.Fail("table entry name of " + std::to_string(entry.name.size()) +
             " bytes is longer than 255");
      return;
    }
    w.ShortStr(entry.name);
    EncodeValue(w, entry.value);
  }
}

void EncodeArrayBody(Writer& w, const FieldArray& array) {
  for (const FieldValue& v : array) EncodeValue(w, v);
}

// Writes a 32-bit size, then whatever `body` appends, then patches the size in.
template <typename Body>
void Sized(Writer& w, Body&& body) {
  const size_t at = w.Reserve32();
  const size_t start = w.size();
  body();
  const size_t size = w.size() - start;
  if (size > std::numeric_limits<uint32_t>::max()) {
    w.Fail("table or array of " + std::to_string(size) + " bytes does not fit a 32-bit size");
    return;
  }
  w.Patch32(at, static_cast<uint32_t>(size));
}

void EncodeValue(Writer& w, const FieldValue& v) {
  w.U8(static_cast<uint8_t>(v.tag()));
  std::visit(
      [&w](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          w.U8(x ? 1 : 0);
        } else if constexpr (std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t>) {
          w.U8(static_cast<uint8_t>(x));
        } else if constexpr (std::is_same_v<T, int16_t> || std::is_same_v<T, uint16_t>) {
          w.U16(static_cast<uint16_t>(x));
        } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>) {
          w.U32(static_cast<uint32_t>(x));
        } else if constexpr (std::is_same_v<T, int64_t>) {
          w.U64(static_cast<uint64_t>(x));
        } else if constexpr (std::is_same_v<T, Int64L>) {
          w.U64(static_cast<uint64_t>(x.value));
        } else if constexpr (std::is_same_v<T, float>) {
          w.U32(std::bit_cast<uint32_t>(x));
        } else if constexpr (std::is_same_v<T, double>) {
          w.U64(std::bit_cast<uint64_t>(x));
        } else if constexpr (std::is_same_v<T, Decimal>) {
          w.U8(x.scale);
          w.U32(x.value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          w.LongStr(x);
        } else if constexpr (std::is_same_v<T, ByteArray>) {
          w.LongStr(x.bytes);
        } else if constexpr (std::is_same_v<T, FieldArray>) {
          Sized(w, [&] { EncodeArrayBody(w, x); });
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          w.U64(x.seconds);
        } else if constexpr (std::is_same_v<T, FieldTable>) {
          Sized(w, [&] { EncodeTableBody(w, x); });
        } else {
          // 'V' is the tag alone; any other type here would be an alternative left out.
          static_assert(std::is_same_v<T, Void>, "every FieldValue alternative is encoded");
        }
      },
      v.value);
}

std::string DescribeTag(uint8_t tag) {
  if (std::isprint(tag)) return std::string("'") + static_cast<char>(tag) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[tag >> 4] + kHex[tag & 0xf];
}

void DecodeTableAt(Reader& r, FieldTable& table, int depth);
void DecodeArrayAt(Reader& r, FieldArray& array, int depth);

void DecodeValue(Reader& r, FieldValue& out, int depth) {
  const uint8_t tag = r.U8();
  if (r.failed()) return;
  switch (tag) {
    case 't':
      out.value = r.U8() != 0;
      break;
    case 'b':
      out.value = static_cast<int8_t>(r.U8());
      break;
    case 'B':
      out.value = r.U8();
      break;
    case 's':
      out.value = static_cast<int16_t>(r.U16());
      break;
    case 'u':
      out.value = r.U16();
      break;
    case 'I':
      out.value = static_cast<int32_t>(r.U32());
      break;
    case 'i':
      out.value = r.U32();
      break;
    case 'l':
      out.value = static_cast<int64_t>(r.U64());
      break;
    case 'L':
      out.value = Int64L{static_cast<int64_t>(r.U64())};
      break;
    case 'f':
      out.value = std::bit_cast<float>(r.U32());
      break;
    case 'd':
      out.value = std::bit_cast<double>(r.U64());
      break;
    case 'D': {
      Decimal d;
      d.scale = r.U8();
      d.value = r.U32();
      out.value = d;
      break;
    }
    case 'S':
      out.value = std::string(r.LongStr());
      break;
    case 'x':
      out.value = ByteArray{std::string(r.LongStr())};
      break;
    case 'A':
      DecodeArrayAt(r, out.value.emplace<FieldArray>(), depth + 1);
      break;
    case 'T':
      out.value = Timestamp{r.U64()};
      break;
    case 'F':
      DecodeTableAt(r, out.value.emplace<FieldTable>(), depth + 1);
      break;
    case 'V':
      out.value = Void{};
      break;
    default:
      r.Fail("unknown field value type " + DescribeTag(tag));
      break;
  }
}

// Reads a 32-bit size and returns a reader over exactly that many bytes; fails `r` when
// the size overruns what is left of the input or the nesting is too deep.
Reader SizedPart(Reader& r, const char* what, int depth) {
  const uint32_t size = r.U32();
  if (r.failed()) return Reader({});
  if (depth > kMaxFieldNesting) {
    r.Fail(std::string(what) + " nested deeper than " + std::to_string(kMaxFieldNesting) +
           " levels");
    return Reader({});
  }
  if (size > r.remaining()) {
    r.Fail(std::string(what) + " declares " + std::to_string(size) + " bytes but only " +
           std::to_string(r.remaining()) + " remain");
    return Reader({});
  }
  return Reader(r.Take(size));
}

void DecodeTableAt(Reader& r, FieldTable& table, int depth) {
  table.entries.clear();
  Reader part = SizedPart(r, "field table", depth);
  while (!r.failed() && part.remaining() > 0) {
    const std::string_view name = part.ShortStr();
    if (part.failed()) {
      r.Fail("table entry name: " + part.error());
      return;
    }
    FieldEntry& entry = table.entries.emplace_back();
    entry.name = name;
    DecodeValue(part, entry.value, depth);
    if (part.failed()) r.Fail("table entry \"" + entry.name + "\": " + part.error());
  }
}

void DecodeArrayAt(Reader& r, FieldArray& array, int depth) {
  Reader part = SizedPart(r, "field array", depth);
  while (!r.failed() && part.remaining() > 0) {
    DecodeValue(part, array.emplace_back(), depth);
    if (part.failed()) {
      r.Fail("array element " + std::to_string(array.size() - 1) + ": " + part.error());
    }
  }
}

}  // namespace

const FieldValue* FieldTable::Find(std::string_view name) const {
  for (const FieldEntry& entry : entries) {
    if (entry.name == name) return &entry.value;
  }
  return nullptr;
}

void FieldTable::Set(std::string name, FieldValue value) {
  for (FieldEntry& entry : entries) {
    if (entry.name == name) {
      entry.value = std::move(value);
      return;
    }
  }
  entries.push_back(FieldEntry{std::move(name), std::move(value)});
}

char FieldValue::tag() const { return kTags[value.index()]; }

void EncodeFieldTable(Writer& w, const FieldTable& table) {
  Sized(w, [&] { EncodeTableBody(w, table); });
}

void DecodeFieldTable(Reader& r, FieldTable& table) { DecodeTableAt(r, table, 1); }

Status AppendFieldTable(const FieldTable& table, std::string& out) {
  const size_t before = out.size();
  Writer w(out);
  EncodeFieldTable(w, table);
  Status s = w.Finish("field table");
  if (!s.ok()) out.resize(before);
  return s;
}

Result<FieldTable> ParseFieldTable(std::string_view encoded) {
  Reader r(encoded);
  FieldTable table;
  DecodeFieldTable(r, table);
  if (r.failed()) return CodecError(kFrameError, "cannot decode field table: " + r.error());
  if (r.remaining() != 0) {
    return CodecError(kFrameError, "cannot decode field table: " + std::to_string(r.remaining()) +
                                       " bytes after the table");
  }
  return table;
}

}  // namespace warren::amqp
