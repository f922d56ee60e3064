#include "amqp/wire.h"

#include <catch2/catch.hpp>
#include <string>

#include "amqp/codec_error.h"
#include "amqp/spec.h"
#include "unit/amqp/hex.h"

namespace warren::amqp {

using testing::FromHex;
using testing::ToHex;

TEST_CASE("wire: integers are big-endian and strings length-prefixed", "[amqp]") {
  std::string out;
  Writer w(out);
  w.U8(0x01);
  w.U16(0x0203);
  w.U32(0x04050607);
  w.U64(0x08090a0b0c0d0e0f);
  w.ShortStr("ab");
  w.LongStr("c");
  CHECK(ToHex(out) == "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 02 61 62 00 00 00 01 63");
  CHECK(w.Finish("test").ok());

  Reader r(out);
  CHECK(r.U8() == 0x01);
  CHECK(r.U16() == 0x0203);
  CHECK(r.U32() == 0x04050607);
  CHECK(r.U64() == 0x08090a0b0c0d0e0f);
  CHECK(r.ShortStr() == "ab");
  CHECK(r.LongStr() == "c");
  CHECK(r.remaining() == 0);
  CHECK_FALSE(r.failed());
}

TEST_CASE("wire: a read past the end fails once and stays failed", "[amqp]") {
  const std::string bytes = FromHex("00 05 61 62");
  Reader r(bytes);
  r.Field("name");
  CHECK(r.U8() == 0);
  CHECK(r.ShortStr().empty());
  REQUIRE(r.failed());
  CHECK(r.error() == "field name: needs 5 bytes, 2 remain");
  // Later reads yield zero and do not move or overwrite the first error.
  r.Field("other");
  CHECK(r.U32() == 0);
  CHECK(r.remaining() == 2);
  CHECK(r.error() == "field name: needs 5 bytes, 2 remain");
}

TEST_CASE("wire: the writer's first failure is reported by Finish", "[amqp]") {
  std::string out;
  Writer w(out);
  w.Field("routing-key");
  w.ShortStr(std::string(256, 'k'));
  w.Field("exchange");
  w.ShortStr(std::string(300, 'e'));
  CHECK(out.empty());
  Status s = w.Finish("basic.publish");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() ==
        "cannot encode basic.publish: field routing-key: shortstr of 256 bytes is longer than 255");
  CHECK(ReplyCodeOf(s) == kInternalError);
}

TEST_CASE("wire: Patch32 fills a reserved size", "[amqp]") {
  std::string out;
  Writer w(out);
  const size_t at = w.Reserve32();
  w.U8(0xaa);
  w.Patch32(at, 0x01020304);
  CHECK(ToHex(out) == "01 02 03 04 aa");
}

}  // namespace warren::amqp
