#include "amqp/frame.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "amqp/codec_error.h"
#include "unit/amqp/hex.h"

namespace warren::amqp {
namespace {

using testing::FromHex;
using testing::ToHex;

// What amqp-publish (rabbitmq-c 0.11.0) sent after the protocol header, captured from
// `echo -n "hello warren" | amqp-publish --exchange=amq.direct --routing-key=rk1
//  --content-type=text/plain -p`.
const char kRabbitmqCStartOk[] =
    "01 00 00 00 00 01 40 00 0a 00 0b 00 00 01 1c 07 70 72 6f 64 75 63 74 53 00"
    "00 00 0a 72 61 62 62 69 74 6d 71 2d 63 07 76 65 72 73 69 6f 6e 53 00 00 00"
    "06 30 2e 31 31 2e 30 08 70 6c 61 74 66 6f 72 6d 53 00 00 00 05 4c 69 6e 75"
    "78 09 63 6f 70 79 72 69 67 68 74 53 00 00 00 49 43 6f 70 79 72 69 67 68 74"
    "20 28 63 29 20 32 30 30 37 2d 32 30 31 34 20 56 4d 57 61 72 65 20 49 6e 63"
    "2c 20 54 6f 6e 79 20 47 61 72 6e 6f 63 6b 2d 4a 6f 6e 65 73 2c 20 61 6e 64"
    "20 41 6c 61 6e 20 41 6e 74 6f 6e 75 6b 2e 0b 69 6e 66 6f 72 6d 61 74 69 6f"
    "6e 53 00 00 00 28 53 65 65 20 68 74 74 70 73 3a 2f 2f 67 69 74 68 75 62 2e"
    "63 6f 6d 2f 61 6c 61 6e 78 7a 2f 72 61 62 62 69 74 6d 71 2d 63 0c 63 61 70"
    "61 62 69 6c 69 74 69 65 73 46 00 00 00 3c 1c 61 75 74 68 65 6e 74 69 63 61"
    "74 69 6f 6e 5f 66 61 69 6c 75 72 65 5f 63 6c 6f 73 65 74 01 1a 65 78 63 68"
    "61 6e 67 65 5f 65 78 63 68 61 6e 67 65 5f 62 69 6e 64 69 6e 67 73 74 01 05"
    "50 4c 41 49 4e 00 00 00 0c 00 67 75 65 73 74 00 67 75 65 73 74 05 65 6e 5f"
    "55 53 ce";
const char kRabbitmqCTuneOkToChannelOpen[] =
    "01 00 00 00 00 00 0c 00 0a 00 1f 07 ff 00 02 00 00 00 00 ce"  // tune-ok
    "01 00 00 00 00 00 08 00 0a 00 28 01 2f 00 01 ce"              // connection.open "/"
    "01 00 01 00 00 00 05 00 14 00 0a 00 ce";                      // channel.open
const char kRabbitmqCPublish[] =
    "01 00 01 00 00 00 16 00 3c 00 28 00 00 0a 61 6d 71 2e 64 69 72 65 63 74 03"
    "72 6b 31 00 ce"  // basic.publish amq.direct rk1
    "02 00 01 00 00 00 1a 00 3c 00 00 00 00 00 00 00 00 00 0c 90 00 0a 74 65 78"
    "74 2f 70 6c 61 69 6e 02 ce"  // header: 12 bytes, text/plain, delivery-mode 2
    "03 00 01 00 00 00 0c 68 65 6c 6c 6f 20 77 61 72 72 65 6e ce";  // "hello warren"
const char kRabbitmqCChannelClose[] =
    "01 00 01 00 00 00 0e 00 14 00 28 00 c8 03 32 30 30 00 00 00 00 ce";
const char kRabbitmqCConnectionClose[] =
    "01 00 00 00 00 00 0e 00 0a 00 32 00 c8 03 32 30 30 00 00 00 00 ce";

// The publish frames pika 1.2.0 sent for basic_publish(exchange='', routing_key='q1',
// mandatory=True, body=b'{"k": 1}') with eight properties and a ten-entry headers table.
const char kPikaPublish[] =
    "01 00 01 00 00 00 0b 00 3c 00 28 00 00 00 02 71 31 01 ce"
    "02 00 01 00 00 00 9d 00 3c 00 00 00 00 00 00 00 00 00 08 bc c8 10 61 70 70"
    "6c 69 63 61 74 69 6f 6e 2f 6a 73 6f 6e 00 00 00 64 01 73 53 00 00 00 03 73"
    "74 72 01 69 49 00 00 00 07 03 62 69 67 6c 00 00 01 00 00 00 00 00 01 74 74"
    "01 01 76 56 01 64 44 02 00 00 01 3a 02 74 73 54 00 00 00 00 65 53 f1 00 01"
    "66 46 00 00 00 07 01 6e 49 ff ff ff ff 01 61 41 00 00 00 0d 49 00 00 00 01"
    "53 00 00 00 01 78 74 00 01 78 78 00 00 00 02 00 01 02 05 03 63 2d 31 03 6d"
    "2d 31 00 00 00 00 65 53 f1 00 03 63 61 70 ce"
    "03 00 01 00 00 00 08 7b 22 6b 22 3a 20 31 7d ce";

// An event with everything copied out of the decoder's input.
struct Seen {
  std::string what;  // "method 1 basic.publish", "header 1 12", "body 1 12 last", "heartbeat"
  Method method;
  BasicProperties properties;
  std::string body;
};

std::vector<Seen> Copy(const std::vector<FrameEvent>& events) {
  std::vector<Seen> seen;
  for (const FrameEvent& e : events) {
    Seen s;
    if (const auto* m = std::get_if<MethodEvent>(&e)) {
      s.what =
          "method " + std::to_string(m->channel.get()) + " " + std::string(InfoOf(m->method).name);
      s.method = m->method;
    } else if (const auto* h = std::get_if<HeaderEvent>(&e)) {
      s.what = "header " + std::to_string(h->channel.get()) + " " + std::to_string(h->body_size);
      s.properties = h->properties;
    } else if (const auto* b = std::get_if<BodyEvent>(&e)) {
      s.what = "body " + std::to_string(b->channel.get()) + " " + std::to_string(b->bytes.size()) +
               (b->last ? " last" : "");
      s.body = std::string(b->bytes);
    } else {
      s.what = "heartbeat";
    }
    seen.push_back(std::move(s));
  }
  return seen;
}

// Feeds `wire` in chunks of `chunk` bytes the way a connection does: append, decode,
// drop what was consumed.
std::vector<Seen> Feed(FrameDecoder& decoder, const std::string& wire, size_t chunk) {
  std::vector<Seen> seen;
  std::string buffer;
  std::vector<FrameEvent> events;
  for (size_t at = 0; at < wire.size(); at += chunk) {
    buffer.append(wire.substr(at, chunk));
    events.clear();
    auto consumed = decoder.Decode(buffer, events);
    INFO(consumed.status().ToString());
    REQUIRE(consumed.ok());
    for (Seen& s : Copy(events)) seen.push_back(std::move(s));
    buffer.erase(0, *consumed);
  }
  CHECK(buffer.empty());
  return seen;
}

std::vector<std::string> Whats(const std::vector<Seen>& seen) {
  std::vector<std::string> out;
  for (const Seen& s : seen) out.push_back(s.what);
  return out;
}

// Decodes `wire` in one call and returns the error it must end with.
Status DecodeError(const std::string& wire, uint32_t frame_max = 131072) {
  FrameDecoder decoder(frame_max);
  std::vector<FrameEvent> events;
  auto result = decoder.Decode(wire, events);
  REQUIRE_FALSE(result.ok());
  return result.status();
}

}  // namespace

TEST_CASE("frame: the protocol header is accepted, awaited or answered", "[amqp]") {
  struct Case {
    std::string received;
    HeaderCheck expected;
  };
  const std::vector<Case> cases = {
      {std::string("AMQP\0\0\x09\x01", 8), HeaderCheck::kAccepted},
      {std::string("AMQP\0\0\x09\x01\x01\x00", 10), HeaderCheck::kAccepted},
      {"", HeaderCheck::kNeedMore},
      {"AMQ", HeaderCheck::kNeedMore},
      {std::string("AMQP\0\0\x09", 7), HeaderCheck::kNeedMore},
      {std::string("AMQP\0\0\x09\x00", 8), HeaderCheck::kRejected},
      {std::string("AMQP\x01\x01\x00\x09", 8), HeaderCheck::kRejected},
      {"GET / HTTP/1.1\r\n", HeaderCheck::kRejected},
      {"X", HeaderCheck::kRejected},
  };
  for (const Case& c : cases) {
    INFO(ToHex(c.received));
    CHECK(CheckProtocolHeader(c.received) == c.expected);
  }
  CHECK(kProtocolHeader.size() == 8);
}

TEST_CASE("frame: rabbitmq-c's amqp-publish session decodes to what it sent", "[amqp]") {
  const std::string wire =
      FromHex(std::string(kRabbitmqCStartOk) + kRabbitmqCTuneOkToChannelOpen + kRabbitmqCPublish +
              kRabbitmqCChannelClose + kRabbitmqCConnectionClose);
  const std::vector<std::string> expected = {
      "method 0 connection.start-ok",
      "method 0 connection.tune-ok",
      "method 0 connection.open",
      "method 1 channel.open",
      "method 1 basic.publish",
      "header 1 12",
      "body 1 12 last",
      "method 1 channel.close",
      "method 0 connection.close",
  };
  for (size_t chunk : {wire.size(), size_t{1}, size_t{7}, size_t{100}}) {
    INFO("chunks of " << chunk);
    FrameDecoder decoder;
    const std::vector<Seen> seen = Feed(decoder, wire, chunk);
    REQUIRE(Whats(seen) == expected);

    FieldTable capabilities;
    capabilities.Set("authentication_failure_close", true);
    capabilities.Set("exchange_exchange_bindings", true);
    FieldTable client;
    client.Set("product", std::string("rabbitmq-c"));
    client.Set("version", std::string("0.11.0"));
    client.Set("platform", std::string("Linux"));
    client.Set("copyright", std::string("Copyright (c) 2007-2014 VMWare Inc, Tony Garnock-Jones,"
                                        " and Alan Antonuk."));
    client.Set("information", std::string("See https://github.com/alanxz/rabbitmq-c"));
    client.Set("capabilities", capabilities);
    CHECK(seen[0].method == Method(ConnectionStartOk{.client_properties = client,
                                                     .mechanism = "PLAIN",
                                                     .response = std::string("\0guest\0guest", 12),
                                                     .locale = "en_US"}));
    CHECK(seen[4].method ==
          Method(BasicPublish{.exchange = ExchangeName("amq.direct"), .routing_key = "rk1"}));
    CHECK(seen[5].properties == BasicProperties{.content_type = "text/plain", .delivery_mode = 2});
    CHECK(seen[6].body == "hello warren");
    CHECK(seen[7].method == Method(ChannelClose{.reply_code = 200, .reply_text = "200"}));
  }
}

TEST_CASE("frame: writing the captured messages reproduces the clients' bytes", "[amqp]") {
  SECTION("rabbitmq-c's publish") {
    std::string out;
    REQUIRE(WriteContent(out, ChannelId(1),
                         BasicPublish{.exchange = ExchangeName("amq.direct"), .routing_key = "rk1"},
                         BasicProperties{.content_type = "text/plain", .delivery_mode = 2},
                         "hello warren", 131072)
                .ok());
    CHECK(ToHex(out) == ToHex(FromHex(kRabbitmqCPublish)));
  }
  SECTION("pika's publish, decoded and written again") {
    FrameDecoder decoder;
    const std::vector<Seen> seen = Feed(decoder, FromHex(kPikaPublish), 1);
    REQUIRE(Whats(seen) ==
            std::vector<std::string>{"method 1 basic.publish", "header 1 8", "body 1 8 last"});
    const BasicProperties& p = seen[1].properties;
    CHECK(p.content_type == "application/json");
    CHECK(p.delivery_mode == 2);
    CHECK(p.priority == 5);
    CHECK(p.correlation_id == "c-1");
    CHECK(p.message_id == "m-1");
    CHECK(p.timestamp == 1700000000u);
    CHECK(p.app_id == "cap");
    REQUIRE(p.headers.has_value());
    CHECK(p.headers->entries.size() == 10);
    CHECK(*p.headers->Find("big") == FieldValue(int64_t{1} << 40));
    CHECK_FALSE(p.reply_to.has_value());

    std::string out;
    REQUIRE(WriteContent(out, ChannelId(1), seen[0].method, p, seen[2].body, 131072).ok());
    CHECK(ToHex(out) == ToHex(FromHex(kPikaPublish)));
  }
  SECTION("rabbitmq-c's channel.close") {
    std::string out;
    REQUIRE(WriteMethodFrame(out, ChannelId(1),
                             ChannelClose{.reply_code = 200, .reply_text = "200"}, 131072)
                .ok());
    CHECK(ToHex(out) == ToHex(FromHex(kRabbitmqCChannelClose)));
  }
}

TEST_CASE("frame: content bodies are split into frames that fit frame-max", "[amqp]") {
  const std::string body(10000, 'b');
  const BasicPublish publish{.routing_key = "q"};
  std::string out;
  REQUIRE(WriteContent(out, ChannelId(3), publish, BasicProperties{}, body, 4096).ok());

  // Walk the frames by their size fields.
  std::vector<size_t> payloads;
  for (size_t at = 0; at < out.size();) {
    const size_t size = static_cast<uint8_t>(out[at + 3]) << 24 |
                        static_cast<uint8_t>(out[at + 4]) << 16 |
                        static_cast<uint8_t>(out[at + 5]) << 8 | static_cast<uint8_t>(out[at + 6]);
    payloads.push_back(size);
    CHECK(size + kFrameOverhead <= 4096);
    at += size + kFrameOverhead;
  }
  REQUIRE(payloads.size() == 5);
  CHECK(payloads[2] == 4088);
  CHECK(payloads[3] == 4088);
  CHECK(payloads[4] == 10000 - 2 * 4088);

  FrameDecoder decoder(4096);
  const std::vector<Seen> seen = Feed(decoder, out, 1000);
  REQUIRE(Whats(seen) == std::vector<std::string>{"method 3 basic.publish", "header 3 10000",
                                                  "body 3 4088", "body 3 4088",
                                                  "body 3 1824 last"});
  CHECK(seen[2].body + seen[3].body + seen[4].body == body);

  SECTION("an empty body is a header with body size 0 and no body frame") {
    std::string empty;
    REQUIRE(WriteContent(empty, ChannelId(3), publish, BasicProperties{}, "", 4096).ok());
    FrameDecoder d;
    CHECK(Whats(Feed(d, empty + FromHex("08 00 00 00 00 00 00 ce"), 5)) ==
          std::vector<std::string>{"method 3 basic.publish", "header 3 0", "heartbeat"});
  }
  SECTION("frame-max 0 means no limit: one body frame") {
    std::string whole;
    REQUIRE(WriteContent(whole, ChannelId(3), publish, BasicProperties{}, body, 0).ok());
    FrameDecoder d(0);
    CHECK(Whats(Feed(d, whole, whole.size())) == std::vector<std::string>{"method 3 basic.publish",
                                                                          "header 3 10000",
                                                                          "body 3 10000 last"});
  }
}

TEST_CASE("frame: content on one channel may interleave with other channels", "[amqp]") {
  std::string wire;
  REQUIRE(WriteContent(wire, ChannelId(1), BasicPublish{}, BasicProperties{}, "abcdef", 4096).ok());
  // Cut channel 1's body off, slip a heartbeat and channel 2's traffic in, then finish it.
  const std::string body_frame = wire.substr(wire.size() - 14);
  wire.resize(wire.size() - 14);
  WriteHeartbeat(wire);
  REQUIRE(WriteContent(wire, ChannelId(2), BasicPublish{}, BasicProperties{}, "xy", 4096).ok());
  REQUIRE(
      WriteMethodFrame(wire, ChannelId(2), BasicAck{.delivery_tag = DeliveryTag(1)}, 4096).ok());
  wire += body_frame;
  FrameDecoder decoder;
  CHECK(Whats(Feed(decoder, wire, 3)) ==
        std::vector<std::string>{"method 1 basic.publish", "header 1 6", "heartbeat",
                                 "method 2 basic.publish", "header 2 2", "body 2 2 last",
                                 "method 2 basic.ack", "body 1 6 last"});
}

TEST_CASE("frame: malformed frames are connection errors that say what was wrong", "[amqp]") {
  const std::string publish = "01 00 01 00 00 00 09 00 3c 00 28 00 00 00 00 00 ce";
  const std::string header_12 = "02 00 01 00 00 00 0e 00 3c 00 00 00 00 00 00 00 00 00 0c 00 00 ce";
  struct Case {
    const char* name;
    std::string wire;
    uint16_t code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"unknown frame type", "09 00 00 00 00 00 00 ce", kFrameError, "unknown frame type 9"},
      {"frame over frame-max, refused from its header alone", "01 00 00 00 02 00 01", kFrameError,
       "frame payload of 131073 bytes exceeds frame-max 131072"},
      {"bad frame end", "08 00 00 00 00 00 00 00", kFrameError,
       "frame end octet is 0x00 instead of 0xce"},
      {"heartbeat on a channel", "08 00 01 00 00 00 00 ce", kFrameError,
       "heartbeat frame on channel 1"},
      {"heartbeat with a payload", "08 00 00 00 00 00 01 00 ce", kFrameError,
       "heartbeat frame with a payload of 1 bytes"},
      {"method frame too short for ids", "01 00 01 00 00 00 03 00 3c 00 ce", kFrameError,
       "method frame of 3 bytes is too short for class and method ids"},
      {"truncated method", "01 00 01 00 00 00 06 00 3c 00 28 00 00 ce", kFrameError,
       "cannot decode basic.publish: field exchange: needs 1 bytes, 0 remain"},
      {"wrong class id", "01 00 01 00 00 00 04 00 0b 00 0a ce", kNotImplemented,
       "unknown class 11"},
      {"wrong method id", "01 00 01 00 00 00 04 00 14 00 63 ce", kNotImplemented,
       "unknown method 99 of class channel"},
      {"table overruns its frame", "01 00 01 00 00 00 0d 00 32 00 0a 00 00 01 71 00 00 00 00 09 ce",
       kFrameError,
       "cannot decode queue.declare: field arguments: field table declares 9 bytes but only 0 "
       "remain"},
      {"header without a content method", header_12, kUnexpectedFrame,
       "unexpected content header frame on channel 1"},
      {"body without a header", publish + "03 00 01 00 00 00 01 61 ce", kUnexpectedFrame,
       "unexpected content body frame on channel 1"},
      {"method where a header is due", publish + publish, kUnexpectedFrame,
       "expected a content header frame on channel 1, got a method frame"},
      {"method where a body is due", publish + header_12 + publish, kUnexpectedFrame,
       "expected a content body frame on channel 1, got a method frame"},
      {"body longer than declared",
       publish + header_12 + "03 00 01 00 00 00 0d 61 61 61 61 61 61 61 61 61 61 61 61 61 ce",
       kUnexpectedFrame, "content body frame of 13 bytes on channel 1 overruns the body size by 1"},
      {"header of another class",
       publish + "02 00 01 00 00 00 0e 00 32 00 00 00 00 00 00 00 00 00 0c 00 00 ce",
       kUnexpectedFrame, "content header for class 50 on channel 1, expected class 60"},
      {"header with truncated properties",
       publish + "02 00 01 00 00 00 0e 00 3c 00 00 00 00 00 00 00 00 00 0c 80 00 ce", kFrameError,
       "cannot decode content header: field content-type: needs 1 bytes, 0 remain"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      Status s = DecodeError(FromHex(c.wire));
      CHECK(ReplyCodeOf(s) == c.code);
      CHECK(s.message() == c.message);
    }
  }
}

TEST_CASE("frame: frame-max is negotiated and keeps RabbitMQ's slack", "[amqp]") {
  std::string frame = FromHex("01 00 01 00 00 10 00") + std::string(4096, '\0') + FromHex("ce");
  SECTION("a payload of frame-max bytes gets past the size check") {
    // The payload is no valid method, so decoding gets as far as the method's ids.
    Status s = DecodeError(frame, 4096);
    CHECK(ReplyCodeOf(s) == kNotImplemented);
  }
  SECTION("one byte more is a FRAME_ERROR") {
    frame[5] = 0x10;
    frame[6] = 0x01;
    CHECK(DecodeError(frame, 4096).message() ==
          "frame payload of 4097 bytes exceeds frame-max 4096");
  }
  SECTION("set_frame_max raises the limit for later frames") {
    FrameDecoder decoder;
    CHECK(decoder.frame_max() == kFrameMinSize);
    decoder.set_frame_max(131072);
    std::string wire;
    REQUIRE(WriteContent(wire, ChannelId(1), BasicPublish{}, BasicProperties{},
                         std::string(100000, 'x'), 131072)
                .ok());
    CHECK(Whats(Feed(decoder, wire, 4096)).size() == 3);
  }
}

TEST_CASE("frame: an error is sticky and the frames before it are kept", "[amqp]") {
  FrameDecoder decoder;
  std::vector<FrameEvent> events;
  const std::string wire = FromHex("08 00 00 00 00 00 00 ce  09 00 00 00 00 00 00 ce");
  auto first = decoder.Decode(wire, events);
  REQUIRE_FALSE(first.ok());
  CHECK(events.size() == 1);
  events.clear();
  auto again = decoder.Decode(FromHex("08 00 00 00 00 00 00 ce"), events);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().message() == first.status().message());
  CHECK(events.empty());
}

TEST_CASE("frame: writers refuse what the peer could not accept", "[amqp]") {
  std::string out = "kept";
  SECTION("a method frame over frame-max") {
    Status s = WriteMethodFrame(out, ChannelId(1),
                                BasicPublish{.routing_key = std::string(200, 'r')}, 128);
    REQUIRE_FALSE(s.ok());
    CHECK(ReplyCodeOf(s) == kInternalError);
    CHECK(s.message() == "basic.publish frame of 217 bytes exceeds frame-max 128");
  }
  SECTION("a field that does not fit its wire type") {
    Status s = WriteMethodFrame(out, ChannelId(1),
                                BasicPublish{.routing_key = std::string(256, 'r')}, 131072);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains("shortstr of 256 bytes is longer than 255"));
  }
  SECTION("content for a method that carries none") {
    Status s = WriteContent(out, ChannelId(1), BasicAck{}, BasicProperties{}, "x", 131072);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "basic.ack carries no content");
  }
  SECTION("a content header over frame-max") {
    BasicProperties big{.headers = FieldTable{{{"h", std::string(5000, 'h')}}}};
    Status s = WriteContent(out, ChannelId(1), BasicPublish{}, big, "x", 4096);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains("content header frame of"));
  }
  CHECK(out == "kept");
}

TEST_CASE("frame: a heartbeat is an empty frame on channel 0", "[amqp]") {
  std::string out;
  WriteHeartbeat(out);
  CHECK(ToHex(out) == "08 00 00 00 00 00 00 ce");
  FrameDecoder decoder;
  CHECK(Whats(Feed(decoder, out + out, 3)) == std::vector<std::string>{"heartbeat", "heartbeat"});
}

}  // namespace warren::amqp
