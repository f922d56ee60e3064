#include "broker/peer_wire.h"

#include <catch2/catch.hpp>

#include "broker/message.h"

namespace warren::broker::peer {
namespace {

std::string OneFrame() {
  std::string out;
  FrameWriter w(out, Op::kConsume);
  w.U64(7).U64(9).Str("/").Str("orders").Str("ctag").Str("").U8(3).U32(5).U32(100);
  w.Finish();
  return out;
}

TEST_CASE("a frame round-trips its fields, and is found whole in a longer buffer") {
  std::string bytes = OneFrame() + OneFrame();
  auto next = NextFrame(bytes);
  REQUIRE(next.ok());
  REQUIRE(next->has_value());
  const auto& [frame, used] = **next;
  CHECK(used == bytes.size() / 2);
  CHECK(frame.op == Op::kConsume);
  FieldReader r(frame.payload);
  CHECK(*r.U64() == 7);
  CHECK(*r.U64() == 9);
  CHECK(*r.Str() == "/");
  CHECK(*r.Str() == "orders");
  CHECK(*r.Str() == "ctag");
  CHECK(*r.Str() == "");
  CHECK(*r.U8() == 3);
  CHECK(*r.U32() == 5);
  CHECK(*r.U32() == 100);
  CHECK(r.done());
}

TEST_CASE("a message travels last, as the message store keeps it, byte for byte") {
  Message m;
  m.exchange = "shop";
  m.routing_key = "new";
  m.encoded_properties = std::string("\x80\x00\x05hello", 8);
  m.body = std::string("\x00\x01\xff", 3);
  std::string out;
  FrameWriter w(out, Op::kPublish);
  w.U64(1).Str("/").Str("q");
  AppendMessage(out, m);
  w.Finish();
  auto next = NextFrame(out);
  REQUIRE(next.ok());
  FieldReader r((*next)->first.payload);
  (void)r.U64();
  (void)r.Str();
  (void)r.Str();
  std::string_view rest = r.Rest();
  CHECK(rest == SerializeMessage(m));
  CHECK(r.done());
}

TEST_CASE("partial frames wait for more bytes") {
  const std::string whole = OneFrame();
  for (size_t n = 0; n < whole.size(); ++n) {
    auto next = NextFrame(std::string_view(whole).substr(0, n));
    REQUIRE(next.ok());
    CHECK(!next->has_value());
  }
}

TEST_CASE("an empty or oversized frame, or an unknown op, is refused") {
  CHECK(!NextFrame(std::string("\0\0\0\0\x01", 5)).ok());
  CHECK(!NextFrame(std::string("\xff\xff\xff\xff\x01", 5)).ok());
  auto unknown = NextFrame(std::string("\0\0\0\x01\x63", 5));
  REQUIRE(!unknown.ok());
  CHECK(unknown.status().message().find("unknown op 99") != std::string::npos);
}

TEST_CASE("reading past a frame's fields fails instead of running off its end") {
  std::string out;
  FrameWriter w(out, Op::kCredit);
  w.U64(1).Str("abc");
  w.Finish();
  // A string whose length claims more bytes than the frame has.
  out[4 + 1 + 8 + 3] = 9;
  auto next = NextFrame(out);
  REQUIRE(next.ok());
  FieldReader r((*next)->first.payload);
  CHECK(r.U64().ok());
  CHECK(!r.Str().ok());
  FieldReader short_reader("\x01\x02");
  CHECK(!short_reader.U32().ok());
}

}  // namespace
}  // namespace warren::broker::peer
