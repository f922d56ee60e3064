#include "amqp/spec.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "amqp/codec_error.h"
#include "amqp/wire.h"
#include "unit/amqp/hex.h"

namespace warren::amqp {
namespace {

using testing::FromHex;
using testing::ToHex;

// The generated traits, checked at compile time.
static_assert(QueueDeclare::kClassId == 50 && QueueDeclare::kMethodId == 10);
static_assert(QueueDeclare::kSynchronous && !QueueDeclare::kHasContent);
static_assert(std::is_same_v<QueueDeclare::Response, QueueDeclareOk>);
static_assert(std::is_same_v<BasicGet::Response, std::variant<BasicGetOk, BasicGetEmpty>>);
static_assert(BasicPublish::kHasContent && !BasicPublish::kSynchronous);
static_assert(BasicDeliver::kHasContent && BasicGetOk::kHasContent && BasicReturn::kHasContent);
static_assert(ConfirmSelect::kClassId == 85 && BasicNack::kMethodId == 120);
static_assert(ExchangeBind::kMethodId == 30 && ExchangeUnbindOk::kMethodId == 51);
static_assert(ConnectionBlocked::kMethodId == 60 && ConnectionUnblocked::kMethodId == 61);
static_assert(std::is_same_v<ConnectionUpdateSecret::Response, ConnectionUpdateSecretOk>);
static_assert(std::is_same_v<decltype(BasicDeliver::delivery_tag), DeliveryTag>);
static_assert(std::is_same_v<decltype(ConnectionOpen::virtual_host), VhostName>);

FieldTable Args() {
  FieldTable t;
  t.Set("x-max-length", int32_t{10});
  t.Set("x-queue-type", std::string("quorum"));
  return t;
}

const QueueName kQueue("orders");
const ExchangeName kExchange("amq.topic");
const ConsumerTag kTag("ctag-1");
const DeliveryTag kDelivery(uint64_t{1} << 40);

// One instance of every method, with every argument set away from its default.
std::vector<Method> Samples() {
  return {
      ConnectionStart{.version_major = 0,
                      .version_minor = 9,
                      .server_properties = Args(),
                      .mechanisms = "PLAIN AMQPLAIN",
                      .locales = "en_US"},
      ConnectionStartOk{.client_properties = Args(),
                        .mechanism = "PLAIN",
                        .response = std::string("\0guest\0guest", 12),
                        .locale = "en_US"},
      ConnectionSecure{.challenge = "challenge"},
      ConnectionSecureOk{.response = "response"},
      ConnectionTune{.channel_max = 2047, .frame_max = 131072, .heartbeat = 60},
      ConnectionTuneOk{.channel_max = 1024, .frame_max = 4096, .heartbeat = 30},
      ConnectionOpen{.virtual_host = VhostName("/")},
      ConnectionOpenOk{},
      ConnectionClose{.reply_code = 320,
                      .reply_text = "CONNECTION_FORCED - shutdown",
                      .class_id = 10,
                      .method_id = 40},
      ConnectionCloseOk{},
      ConnectionBlocked{.reason = "low on memory"},
      ConnectionUnblocked{},
      ConnectionUpdateSecret{.new_secret = "token", .reason = "refresh"},
      ConnectionUpdateSecretOk{},
      ChannelOpen{},
      ChannelOpenOk{},
      ChannelFlow{.active = true},
      ChannelFlowOk{.active = true},
      ChannelClose{.reply_code = 404,
                   .reply_text = "NOT_FOUND - no queue 'orders'",
                   .class_id = 50,
                   .method_id = 10},
      ChannelCloseOk{},
      ExchangeDeclare{.exchange = kExchange,
                      .type = "topic",
                      .passive = true,
                      .durable = true,
                      .auto_delete = true,
                      .internal = true,
                      .no_wait = true,
                      .arguments = Args()},
      ExchangeDeclareOk{},
      ExchangeDelete{.exchange = kExchange, .if_unused = true, .no_wait = true},
      ExchangeDeleteOk{},
      ExchangeBind{.destination = ExchangeName("d"),
                   .source = ExchangeName("s"),
                   .routing_key = "a.#",
                   .no_wait = true,
                   .arguments = Args()},
      ExchangeBindOk{},
      ExchangeUnbind{.destination = ExchangeName("d"),
                     .source = ExchangeName("s"),
                     .routing_key = "a.*",
                     .no_wait = true,
                     .arguments = Args()},
      ExchangeUnbindOk{},
      QueueDeclare{.queue = kQueue,
                   .passive = true,
                   .durable = true,
                   .exclusive = true,
                   .auto_delete = true,
                   .no_wait = true,
                   .arguments = Args()},
      QueueDeclareOk{.queue = kQueue, .message_count = 5, .consumer_count = 2},
      QueueBind{.queue = kQueue,
                .exchange = kExchange,
                .routing_key = "eu.#",
                .no_wait = true,
                .arguments = Args()},
      QueueBindOk{},
      QueuePurge{.queue = kQueue, .no_wait = true},
      QueuePurgeOk{.message_count = 7},
      QueueDelete{.queue = kQueue, .if_unused = true, .if_empty = true, .no_wait = true},
      QueueDeleteOk{.message_count = 9},
      QueueUnbind{
          .queue = kQueue, .exchange = kExchange, .routing_key = "eu.#", .arguments = Args()},
      QueueUnbindOk{},
      BasicQos{.prefetch_size = 65536, .prefetch_count = 100, .global = true},
      BasicQosOk{},
      BasicConsume{.queue = kQueue,
                   .consumer_tag = kTag,
                   .no_local = true,
                   .no_ack = true,
                   .exclusive = true,
                   .no_wait = true,
                   .arguments = Args()},
      BasicConsumeOk{.consumer_tag = kTag},
      BasicCancel{.consumer_tag = kTag, .no_wait = true},
      BasicCancelOk{.consumer_tag = kTag},
      BasicPublish{
          .exchange = kExchange, .routing_key = "eu.orders", .mandatory = true, .immediate = true},
      BasicReturn{.reply_code = 312,
                  .reply_text = "NO_ROUTE",
                  .exchange = kExchange,
                  .routing_key = "eu.orders"},
      BasicDeliver{.consumer_tag = kTag,
                   .delivery_tag = kDelivery,
                   .redelivered = true,
                   .exchange = kExchange,
                   .routing_key = "eu.orders"},
      BasicGet{.queue = kQueue, .no_ack = true},
      BasicGetOk{.delivery_tag = kDelivery,
                 .redelivered = true,
                 .exchange = kExchange,
                 .routing_key = "eu.orders",
                 .message_count = 3},
      BasicGetEmpty{},
      BasicAck{.delivery_tag = kDelivery, .multiple = true},
      BasicReject{.delivery_tag = kDelivery, .requeue = true},
      BasicRecoverAsync{.requeue = true},
      BasicRecover{.requeue = true},
      BasicRecoverOk{},
      BasicNack{.delivery_tag = kDelivery, .multiple = true, .requeue = true},
      TxSelect{},
      TxSelectOk{},
      TxCommit{},
      TxCommitOk{},
      TxRollback{},
      TxRollbackOk{},
      ConfirmSelect{.nowait = true},
      ConfirmSelectOk{},
  };
}

// A default-constructed instance of every alternative of Method.
std::vector<Method> Defaults() {
  return []<size_t... I>(std::index_sequence<I...>) {
    return std::vector<Method>{Method(std::in_place_index<I>)...};
  }
  (std::make_index_sequence<std::variant_size_v<Method>>());
}

std::string Encode(const Method& m) {
  std::string out;
  REQUIRE(EncodeMethod(m, out).ok());
  return out;
}

Method Decode(const std::string& payload) {
  auto m = DecodeMethod(payload);
  INFO(m.status().ToString());
  REQUIRE(m.ok());
  return std::move(m).value();
}

}  // namespace

TEST_CASE("spec: every method round-trips through EncodeMethod and DecodeMethod", "[amqp]") {
  std::set<size_t> covered;
  for (const auto& samples : {Samples(), Defaults()}) {
    for (const Method& m : samples) {
      const MethodInfo& info = InfoOf(m);
      INFO(info.name);
      covered.insert(m.index());
      const std::string wire = Encode(m);
      std::string ids;
      Writer w(ids);
      w.U16(info.class_id);
      w.U16(info.method_id);
      CHECK(wire.substr(0, 4) == ids);
      const Method back = Decode(wire);
      CHECK(back == m);
      CHECK(Encode(back) == wire);
    }
  }
  CHECK(covered.size() == std::variant_size_v<Method>);
}

TEST_CASE("spec: consecutive bits share one octet, first bit lowest", "[amqp]") {
  struct Case {
    QueueDeclare method;
    const char* bits;
  };
  const std::vector<Case> cases = {
      {QueueDeclare{}, "00"},
      {QueueDeclare{.passive = true}, "01"},
      {QueueDeclare{.durable = true}, "02"},
      {QueueDeclare{.exclusive = true}, "04"},
      {QueueDeclare{.auto_delete = true}, "08"},
      {QueueDeclare{.no_wait = true}, "10"},
      {QueueDeclare{.durable = true, .auto_delete = true, .no_wait = true}, "1a"},
  };
  for (const Case& c : cases) {
    QueueDeclare m = c.method;
    m.queue = QueueName("q");
    // ids, reserved-1 short, queue "q", the bits, empty arguments table
    const std::string expected =
        FromHex(std::string("00 32 00 0a  00 00  01 71 ") + c.bits + " 00 00 00 00");
    CHECK(ToHex(Encode(m)) == ToHex(expected));
    CHECK(Decode(expected) == Method(m));
  }

  SECTION("basic.publish packs mandatory and immediate after its two shortstrs") {
    CHECK(ToHex(Encode(BasicPublish{.mandatory = true})) == "00 3c 00 28 00 00 00 00 01");
    CHECK(ToHex(Encode(BasicPublish{.immediate = true})) == "00 3c 00 28 00 00 00 00 02");
    CHECK(ToHex(Encode(BasicPublish{.mandatory = true, .immediate = true})) ==
          "00 3c 00 28 00 00 00 00 03");
  }
  SECTION("undefined bits are ignored when reading and written as zero") {
    const Method m = Decode(FromHex("00 3c 00 28 00 00 00 00 ff"));
    CHECK(m == Method(BasicPublish{.mandatory = true, .immediate = true}));
    CHECK(ToHex(Encode(m)) == "00 3c 00 28 00 00 00 00 03");
  }
  SECTION("a reserved bit is dropped but still takes its place in the octet") {
    // rabbitmq-c sends connection.open with the reserved insist bit set.
    const Method m = Decode(FromHex("00 0a 00 28 01 2f 00 01"));
    CHECK(m == Method(ConnectionOpen{.virtual_host = VhostName("/")}));
    CHECK(ToHex(Encode(m)) == "00 0a 00 28 01 2f 00 00");
  }
}

TEST_CASE("spec: method payloads captured from real clients decode as sent", "[amqp]") {
  SECTION("rabbitmq-c's connection.tune-ok") {
    CHECK(Decode(FromHex("00 0a 00 1f 07 ff 00 02 00 00 00 00")) ==
          Method(ConnectionTuneOk{.channel_max = 2047, .frame_max = 131072, .heartbeat = 0}));
  }
  SECTION("rabbitmq-c's basic.publish to amq.direct") {
    const std::string wire =
        FromHex("00 3c 00 28 00 00 0a 61 6d 71 2e 64 69 72 65 63 74 03 72 6b 31 00");
    CHECK(Decode(wire) ==
          Method(BasicPublish{.exchange = ExchangeName("amq.direct"), .routing_key = "rk1"}));
  }
  SECTION("pika's queue.declare with x-max-length") {
    FieldTable args;
    args.Set("x-max-length", int32_t{10});
    const std::string wire = FromHex(
        "00 32 00 0a 00 00 02 71 31 02 00 00 00 12 0c 78 2d 6d 61 78 2d 6c 65 6e 67 74 68"
        "49 00 00 00 0a");
    const Method m = Decode(wire);
    CHECK(m == Method(QueueDeclare{.queue = QueueName("q1"), .durable = true, .arguments = args}));
    CHECK(Encode(m) == wire);
  }
}

TEST_CASE("spec: malformed method payloads are errors, never crashes", "[amqp]") {
  SECTION("every strict prefix of every method is a FRAME_ERROR naming the method") {
    for (const Method& m : Samples()) {
      const std::string wire = Encode(m);
      for (size_t n = 0; n < wire.size(); ++n) {
        auto cut = DecodeMethod(wire.substr(0, n));
        INFO(InfoOf(m).name << " cut to " << n << " bytes");
        REQUIRE_FALSE(cut.ok());
        CHECK(ReplyCodeOf(cut.status()) == kFrameError);
        if (n >= 4) {
          CHECK_THAT(cut.status().message(), Catch::Contains(std::string(InfoOf(m).name)));
        }
      }
    }
  }
  SECTION("the message names the truncated field") {
    auto cut = DecodeMethod(FromHex("00 3c 00 28 00 00 0a 61 6d 71"));
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.status().message() ==
          "cannot decode basic.publish: field exchange: needs 10 bytes, 3 remain");
  }
  SECTION("unknown class and method ids are NOT_IMPLEMENTED") {
    auto no_class = DecodeMethod(FromHex("00 63 00 0a"));
    REQUIRE_FALSE(no_class.ok());
    CHECK(ReplyCodeOf(no_class.status()) == kNotImplemented);
    CHECK(no_class.status().message() == "unknown class 99");
    auto no_method = DecodeMethod(FromHex("00 3c 00 63"));
    REQUIRE_FALSE(no_method.ok());
    CHECK(ReplyCodeOf(no_method.status()) == kNotImplemented);
    CHECK(no_method.status().message() == "unknown method 99 of class basic");
  }
  SECTION("bytes after the last argument are a FRAME_ERROR") {
    auto extra = DecodeMethod(FromHex("00 5a 00 0a 00"));
    REQUIRE_FALSE(extra.ok());
    CHECK(ReplyCodeOf(extra.status()) == kFrameError);
    CHECK(extra.status().message() == "cannot decode tx.select: 1 bytes after the last argument");
  }
  SECTION("a table argument whose size overruns the frame") {
    auto overrun = DecodeMethod(FromHex("00 32 00 0a 00 00 01 71 00 00 00 10 00 ff"));
    REQUIRE_FALSE(overrun.ok());
    CHECK(overrun.status().message() ==
          "cannot decode queue.declare: field arguments: field table declares 4096 bytes but "
          "only 1 remain");
  }
}

TEST_CASE("spec: a shortstr over 255 bytes cannot be encoded", "[amqp]") {
  std::string out;
  Status s = EncodeMethod(BasicPublish{.routing_key = std::string(300, 'k')}, out);
  REQUIRE_FALSE(s.ok());
  CHECK(ReplyCodeOf(s) == kInternalError);
  CHECK(s.message() ==
        "cannot encode basic.publish: field routing-key: shortstr of 300 bytes is longer than 255");
}

TEST_CASE("spec: validators check the spec's domain asserts", "[amqp]") {
  struct Case {
    Method method;
    const char* error;  // empty: valid
  };
  const std::vector<Case> cases = {
      {QueueDeclare{.queue = QueueName("orders.eu-1:x_y")}, ""},
      {QueueDeclare{.queue = QueueName("")}, ""},
      {QueueDeclare{.queue = QueueName(std::string(128, 'q'))},
       "queue.declare: field queue is longer than 127 bytes"},
      {QueueDeclare{.queue = QueueName("bad name")},
       "queue.declare: field queue does not match ^[a-zA-Z0-9-_.:]*$"},
      {QueueDeclareOk{.queue = QueueName("")}, "queue.declare-ok: field queue must not be empty"},
      {ExchangeDeclare{.exchange = ExchangeName("")},
       "exchange.declare: field exchange must not be empty"},
      {ExchangeDeclare{.exchange = ExchangeName("logs")}, ""},
      {ConnectionOpen{.virtual_host = VhostName("")},
       "connection.open: field virtual-host must not be empty"},
      {ConnectionClose{.reply_code = 0, .reply_text = "x"},
       "connection.close: field reply-code must not be zero"},
      {ConnectionClose{.reply_code = 200, .reply_text = ""},
       "connection.close: field reply-text must not be empty"},
      {ConnectionStartOk{.mechanism = "", .response = "r", .locale = "en_US"},
       "connection.start-ok: field mechanism must not be empty"},
      {BasicPublish{.exchange = ExchangeName("é")},
       "basic.publish: field exchange does not match ^[a-zA-Z0-9-_.:]*$"},
  };
  for (const Case& c : cases) {
    INFO(InfoOf(c.method).name);
    Status s = std::visit([](const auto& m) { return m.Validate(); }, c.method);
    if (std::string(c.error).empty()) {
      CHECK(s.ok());
    } else {
      REQUIRE_FALSE(s.ok());
      CHECK(s.message() == c.error);
      CHECK(ReplyCodeOf(s) == kPreconditionFailed);
    }
  }
}

TEST_CASE("spec: reply codes carry their name and soft or hard class", "[amqp]") {
  struct Case {
    uint16_t code;
    const char* text;
    ErrorClass cls;
  };
  const std::vector<Case> cases = {
      {kReplySuccess, "REPLY_SUCCESS", ErrorClass::kNone},
      {kNotFound, "NOT_FOUND", ErrorClass::kSoft},
      {kAccessRefused, "ACCESS_REFUSED", ErrorClass::kSoft},
      {kResourceLocked, "RESOURCE_LOCKED", ErrorClass::kSoft},
      {kPreconditionFailed, "PRECONDITION_FAILED", ErrorClass::kSoft},
      {kContentTooLarge, "CONTENT_TOO_LARGE", ErrorClass::kSoft},
      {kConnectionForced, "CONNECTION_FORCED", ErrorClass::kHard},
      {kFrameError, "FRAME_ERROR", ErrorClass::kHard},
      {kUnexpectedFrame, "UNEXPECTED_FRAME", ErrorClass::kHard},
      {kNotAllowed, "NOT_ALLOWED", ErrorClass::kHard},
      {kInternalError, "INTERNAL_ERROR", ErrorClass::kHard},
      {999, "", ErrorClass::kNone},
  };
  for (const Case& c : cases) {
    INFO(c.code);
    CHECK(ReplyCodeText(c.code) == c.text);
    CHECK(ReplyCodeClass(c.code) == c.cls);
  }
  CHECK(kFrameEnd == 206);
  CHECK(kFrameMinSize == 4096);
}

TEST_CASE("spec: basic properties encode a flag word and the present properties", "[amqp]") {
  SECTION("rabbitmq-c's content-type and delivery-mode") {
    const std::string wire = FromHex("90 00 0a 74 65 78 74 2f 70 6c 61 69 6e 02");
    Reader r(wire);
    BasicProperties p;
    p.Decode(r);
    REQUIRE_FALSE(r.failed());
    CHECK(r.remaining() == 0);
    CHECK(p == BasicProperties{.content_type = "text/plain", .delivery_mode = 2});
    CHECK(p.Flags() == (BasicProperties::kContentTypeFlag | BasicProperties::kDeliveryModeFlag));
    std::string out;
    REQUIRE(p.Encode(out).ok());
    CHECK(out == wire);
  }
  SECTION("all fourteen properties round-trip") {
    const BasicProperties all{.content_type = "application/json",
                              .content_encoding = "gzip",
                              .headers = Args(),
                              .delivery_mode = 2,
                              .priority = 9,
                              .correlation_id = "c-1",
                              .reply_to = "amq.rabbitmq.reply-to",
                              .expiration = "60000",
                              .message_id = "m-1",
                              .timestamp = 1700000000,
                              .type = "order",
                              .user_id = "guest",
                              .app_id = "shop",
                              .reserved = "cluster"};
    CHECK(all.Flags() == 0xfffc);
    std::string out;
    REQUIRE(all.Encode(out).ok());
    Reader r(out);
    BasicProperties back;
    back.Decode(r);
    REQUIRE_FALSE(r.failed());
    CHECK(r.remaining() == 0);
    CHECK(back == all);
  }
  SECTION("no properties is a zero flag word") {
    std::string out;
    REQUIRE(BasicProperties{}.Encode(out).ok());
    CHECK(ToHex(out) == "00 00");
  }
  SECTION("a continuation flag is refused: basic has no second flag word") {
    const std::string wire = FromHex("00 01 00 00");
    Reader r(wire);
    BasicProperties p;
    p.Decode(r);
    REQUIRE(r.failed());
    CHECK_THAT(r.error(), Catch::Contains("announces a second one"));
  }
}

}  // namespace warren::amqp
