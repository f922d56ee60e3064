#include "amqp/field_table.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "amqp/codec_error.h"
#include "amqp/spec.h"
#include "amqp/wire.h"
#include "unit/amqp/hex.h"

namespace warren::amqp {
namespace {

using testing::FromHex;
using testing::ToHex;

std::string Encode(const FieldTable& table) {
  std::string out;
  REQUIRE(AppendFieldTable(table, out).ok());
  return out;
}

std::string U32(uint32_t v) {
  std::string out;
  Writer w(out);
  w.U32(v);
  return out;
}

// A table {"k": value} whose value encodes as `value_hex` (tag included).
std::string OneEntryTable(const std::string& value_hex) {
  const std::string value = FromHex(value_hex);
  return U32(static_cast<uint32_t>(2 + value.size())) + FromHex("01 6b") + value;
}

FieldTable Nested(int depth) {
  FieldTable table;
  table.Set("leaf", int32_t{1});
  for (int i = 1; i < depth; ++i) {
    FieldTable outer;
    outer.Set("t", std::move(table));
    table = std::move(outer);
  }
  return table;
}

}  // namespace

TEST_CASE("field_table: every RabbitMQ type tag round-trips byte for byte", "[amqp]") {
  struct Case {
    FieldValue value;
    char tag;
    std::string hex;
  };
  const std::vector<Case> cases = {
      {true, 't', "74 01"},
      {int8_t{-2}, 'b', "62 fe"},
      {uint8_t{200}, 'B', "42 c8"},
      {int16_t{-2}, 's', "73 ff fe"},
      {uint16_t{65000}, 'u', "75 fd e8"},
      {int32_t{-7}, 'I', "49 ff ff ff f9"},
      {uint32_t{4000000000u}, 'i', "69 ee 6b 28 00"},
      {int64_t{-1}, 'l', "6c ff ff ff ff ff ff ff ff"},
      {Int64L{int64_t{1} << 40}, 'L', "4c 00 00 01 00 00 00 00 00"},
      {1.5f, 'f', "66 3f c0 00 00"},
      {0.1, 'd', "64 3f b9 99 99 99 99 99 9a"},
      {Decimal{2, 314}, 'D', "44 02 00 00 01 3a"},
      {std::string("hi"), 'S', "53 00 00 00 02 68 69"},
      {ByteArray{std::string("\0\1", 2)}, 'x', "78 00 00 00 02 00 01"},
      {FieldArray{int32_t{1}, std::string("x")}, 'A',
       "41 00 00 00 0b  49 00 00 00 01  53 00 00 00 01 78"},
      {Timestamp{1700000000}, 'T', "54 00 00 00 00 65 53 f1 00"},
      {FieldTable{{{"n", int32_t{-1}}}}, 'F', "46 00 00 00 07  01 6e 49 ff ff ff ff"},
      {Void{}, 'V', "56"},
  };
  for (const Case& c : cases) {
    SECTION(std::string("tag ") + c.tag) {
      CHECK(c.value.tag() == c.tag);
      FieldTable table;
      table.Set("k", c.value);
      const std::string wire = OneEntryTable(c.hex);
      CHECK(ToHex(Encode(table)) == ToHex(wire));
      auto decoded = ParseFieldTable(wire);
      REQUIRE(decoded.ok());
      CHECK(*decoded == table);
      CHECK(Encode(*decoded) == wire);
    }
  }
}

TEST_CASE("field_table: nested tables and arrays round-trip byte for byte", "[amqp]") {
  FieldTable inner;
  inner.Set("count", int64_t{3});
  inner.Set("keys", FieldArray{std::string("a"), FieldArray{}, FieldTable{}});
  FieldTable table;
  table.Set("x-death", FieldArray{inner, inner});
  table.Set("empty", FieldTable{});
  table.Set("flag", false);

  const std::string wire = Encode(table);
  auto decoded = ParseFieldTable(wire);
  REQUIRE(decoded.ok());
  CHECK(*decoded == table);
  CHECK(Encode(*decoded) == wire);
}

TEST_CASE("field_table: pika's message headers decode to the values it was given", "[amqp]") {
  // The headers table of a basic.publish sent by pika 1.2.0 with
  // {'s': 'str', 'i': 7, 'big': 2**40, 't': True, 'v': None, 'd': Decimal('3.14'),
  //  'ts': datetime(2023, 11, 14, 22, 13, 20), 'f': {'n': -1}, 'a': [1, 'x', False],
  //  'x': b'\x00\x01'}.
  const std::string wire = FromHex(
      "00 00 00 64"
      "01 73 53 00 00 00 03 73 74 72"                                // s: S "str"
      "01 69 49 00 00 00 07"                                         // i: I 7
      "03 62 69 67 6c 00 00 01 00 00 00 00 00"                       // big: l 2^40
      "01 74 74 01"                                                  // t: t true
      "01 76 56"                                                     // v: V
      "01 64 44 02 00 00 01 3a"                                      // d: D 314 / 10^2
      "02 74 73 54 00 00 00 00 65 53 f1 00"                          // ts: T 1700000000
      "01 66 46 00 00 00 07 01 6e 49 ff ff ff ff"                    // f: F {n: I -1}
      "01 61 41 00 00 00 0d 49 00 00 00 01 53 00 00 00 01 78 74 00"  // a: A [1, "x", false]
      "01 78 78 00 00 00 02 00 01");                                 // x: x 00 01
  FieldTable expected;
  expected.Set("s", std::string("str"));
  expected.Set("i", int32_t{7});
  expected.Set("big", int64_t{1} << 40);
  expected.Set("t", true);
  expected.Set("v", Void{});
  expected.Set("d", Decimal{2, 314});
  expected.Set("ts", Timestamp{1700000000});
  expected.Set("f", FieldTable{{{"n", int32_t{-1}}}});
  expected.Set("a", FieldArray{int32_t{1}, std::string("x"), false});
  expected.Set("x", ByteArray{std::string("\0\1", 2)});

  auto decoded = ParseFieldTable(wire);
  REQUIRE(decoded.ok());
  CHECK(*decoded == expected);
  CHECK(Encode(expected) == wire);
}

TEST_CASE("field_table: entry order and repeated names survive a round trip", "[amqp]") {
  FieldTable table;
  table.entries.push_back({"b", int32_t{1}});
  table.entries.push_back({"a", int32_t{2}});
  table.entries.push_back({"b", int32_t{3}});
  auto decoded = ParseFieldTable(Encode(table));
  REQUIRE(decoded.ok());
  CHECK(*decoded == table);
  REQUIRE(decoded->Find("b") != nullptr);
  CHECK(*decoded->Find("b") == FieldValue(int32_t{1}));
  CHECK(decoded->Find("missing") == nullptr);
  decoded->Set("a", std::string("replaced"));
  CHECK(decoded->entries.size() == 3);
  CHECK(*decoded->Find("a") == FieldValue(std::string("replaced")));
}

TEST_CASE("field_table: malformed tables are errors that say what was wrong", "[amqp]") {
  struct Case {
    const char* name;
    std::string wire;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"declared size overruns the input", FromHex("00 00 00 10 01 6b 56"),
       "field table declares 16 bytes but only 3 remain"},
      {"size prefix cut short", FromHex("00 00"), "needs 4 bytes, 2 remain"},
      {"unknown type tag", FromHex("00 00 00 03 01 6b 5a"), "unknown field value type 'Z'"},
      {"unprintable type tag", FromHex("00 00 00 03 01 6b 05"), "unknown field value type 0x05"},
      {"value runs past the table's end", FromHex("00 00 00 05 01 6b 49 00 00 00 00"),
       "table entry \"k\": needs 4 bytes, 2 remain"},
      {"longstr longer than the table", FromHex("00 00 00 08 01 6b 53 00 00 ff ff 00"),
       "table entry \"k\": needs 65535 bytes, 1 remain"},
      {"entry name runs past the table's end", FromHex("00 00 00 02 05 6b"),
       "table entry name: needs 5 bytes, 1 remain"},
      {"array element truncated", FromHex("00 00 00 09 01 6b 41 00 00 00 02 49 00"),
       "array element 0: needs 4 bytes, 1 remain"},
      {"bytes after the table", FromHex("00 00 00 00 ff"), "1 bytes after the table"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      auto decoded = ParseFieldTable(c.wire);
      REQUIRE_FALSE(decoded.ok());
      CHECK(ReplyCodeOf(decoded.status()) == kFrameError);
      CHECK_THAT(decoded.status().message(), Catch::Contains(c.message));
    }
  }
}

TEST_CASE("field_table: nesting is refused past kMaxFieldNesting levels", "[amqp]") {
  CHECK(ParseFieldTable(Encode(Nested(kMaxFieldNesting))).ok());
  auto too_deep = ParseFieldTable(Encode(Nested(kMaxFieldNesting + 1)));
  REQUIRE_FALSE(too_deep.ok());
  CHECK_THAT(too_deep.status().message(), Catch::Contains("nested deeper than 64 levels"));
}

TEST_CASE("field_table: a name over 255 bytes cannot be encoded", "[amqp]") {
  FieldTable table;
  table.Set(std::string(256, 'n'), Void{});
  std::string out = "prefix";
  Status s = AppendFieldTable(table, out);
  REQUIRE_FALSE(s.ok());
  CHECK(ReplyCodeOf(s) == kInternalError);
  CHECK_THAT(s.message(), Catch::Contains("table entry name of 256 bytes is longer than 255"));
  CHECK(out == "prefix");
}

}  // namespace warren::amqp
