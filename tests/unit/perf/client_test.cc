#include "perf/client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "unit/perf/fake_broker.h"

namespace warren::perf {
namespace {

// The server side of a socketpair, driven step by step by a test.
class ScriptedPeer {
 public:
  ScriptedPeer() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    client_fd = fds[0];
    fd_ = fds[1];
  }
  ~ScriptedPeer() { close(fd_); }

  std::string ReadHeader() {
    std::string header(8, '\0');
    REQUIRE(recv(fd_, header.data(), 8, MSG_WAITALL) == 8);
    return header;
  }
  // The next method the client sent.
  amqp::MethodEvent ReadMethod() {
    for (;;) {
      if (next_ < events_.size()) {
        auto* m = std::get_if<amqp::MethodEvent>(&events_[next_++]);
        if (m != nullptr) return *m;
        continue;
      }
      events_.clear();
      next_ = 0;
      char buf[4096];
      const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      REQUIRE(n > 0);
      in_.append(buf, static_cast<size_t>(n));
      auto used = decoder_.Decode(in_, events_);
      REQUIRE(used.ok());
      in_.erase(0, *used);
    }
  }
  void Send(uint16_t channel, const amqp::Method& m) {
    std::string out;
    REQUIRE(amqp::WriteMethodFrame(out, ChannelId(channel), m, 0).ok());
    REQUIRE(send(fd_, out.data(), out.size(), 0) == static_cast<ssize_t>(out.size()));
  }
  void SendRaw(const std::string& bytes) {
    REQUIRE(send(fd_, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  }
  void Hangup() { shutdown(fd_, SHUT_RDWR); }
  // Reads the protocol header, offers `mechanisms` and returns the client's answer.
  amqp::MethodEvent Start(const std::string& mechanisms) {
    CHECK(ReadHeader() == amqp::kProtocolHeader);
    Send(0, amqp::ConnectionStart{0, 9, {}, mechanisms, "en_US"});
    return ReadMethod();
  }
  // Plays the server's part of the handshake up to connection.open-ok and channel.open-ok.
  void Greet() {
    CHECK(std::holds_alternative<amqp::ConnectionStartOk>(Start("PLAIN").method));
    Send(0, amqp::ConnectionTune{0, 8192, 0});
    CHECK(std::holds_alternative<amqp::ConnectionTuneOk>(ReadMethod().method));
    CHECK(std::holds_alternative<amqp::ConnectionOpen>(ReadMethod().method));
    Send(0, amqp::ConnectionOpenOk{});
    CHECK(std::holds_alternative<amqp::ChannelOpen>(ReadMethod().method));
    Send(1, amqp::ChannelOpenOk{});
  }

  int client_fd = -1;

 private:
  int fd_ = -1;
  amqp::FrameDecoder decoder_{0};
  std::string in_;
  std::vector<amqp::FrameEvent> events_;
  size_t next_ = 0;
};

Uri Guest() { return *ParseUri("amqp://guest:guest@127.0.0.1/%2Fv1"); }

TEST_CASE("client: the handshake sends PLAIN credentials and takes the server's tuning",
          "[perf]") {
  ScriptedPeer peer;
  std::thread server([&] {
    CHECK(peer.ReadHeader() == amqp::kProtocolHeader);
    peer.Send(0, amqp::ConnectionStart{0, 9, {}, "AMQPLAIN PLAIN", "en_US"});
    auto start_ok = std::get<amqp::ConnectionStartOk>(peer.ReadMethod().method);
    CHECK(start_ok.mechanism == "PLAIN");
    CHECK(start_ok.response == std::string("\0guest\0guest", 12));
    const amqp::FieldValue* product = start_ok.client_properties.Find("product");
    REQUIRE(product != nullptr);
    CHECK(std::get<std::string>(product->value) == "warren-perf");
    const amqp::FieldValue* caps = start_ok.client_properties.Find("capabilities");
    REQUIRE(caps != nullptr);
    CHECK(std::get<amqp::FieldTable>(caps->value).Find("authentication_failure_close"));
    peer.Send(0, amqp::ConnectionTune{2047, 65536, 60});
    auto tune_ok = std::get<amqp::ConnectionTuneOk>(peer.ReadMethod().method);
    CHECK(tune_ok.channel_max == 2047);
    CHECK(tune_ok.frame_max == 65536);
    CHECK(tune_ok.heartbeat == 0);
    auto open = std::get<amqp::ConnectionOpen>(peer.ReadMethod().method);
    CHECK(open.virtual_host.get() == "/v1");
    peer.Send(0, amqp::ConnectionOpenOk{});
    auto channel_open = peer.ReadMethod();
    CHECK(channel_open.channel.get() == 1);
    CHECK(std::holds_alternative<amqp::ChannelOpen>(channel_open.method));
    peer.Send(1, amqp::ChannelOpenOk{});
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  server.join();
  REQUIRE(c.ok());
  CHECK((*c)->frame_max() == 65536);
}

TEST_CASE("client: a 403 close during the handshake says the user was refused", "[perf]") {
  ScriptedPeer peer;
  std::thread server([&] {
    peer.Start("PLAIN");
    peer.Send(0, amqp::ConnectionClose{403, "ACCESS_REFUSED - Login was refused", 0, 0});
    // The client answers close with close-ok.
    CHECK(std::holds_alternative<amqp::ConnectionCloseOk>(peer.ReadMethod().method));
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  server.join();
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().kind() == ErrorKind::kAccessRefused);
  CHECK_THAT(c.status().message(), Catch::StartsWith("user 'guest' was refused"));
  CHECK_THAT(c.status().message(), Catch::Contains("403 ACCESS_REFUSED - Login was refused"));
}

TEST_CASE("client: a server hanging up after start-ok refused the user", "[perf]") {
  ScriptedPeer peer;
  std::thread server([&] {
    peer.Start("PLAIN");
    peer.Hangup();
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  server.join();
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().kind() == ErrorKind::kAccessRefused);
  CHECK_THAT(c.status().message(), Catch::Contains("user 'guest' was refused"));
}

TEST_CASE("client: a server without PLAIN is refused before credentials are sent", "[perf]") {
  ScriptedPeer peer;
  std::thread server([&] {
    CHECK(peer.ReadHeader() == amqp::kProtocolHeader);
    peer.Send(0, amqp::ConnectionStart{0, 9, {}, "EXTERNAL", "en_US"});
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  server.join();
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Catch::Contains("does not offer PLAIN"));
}

TEST_CASE("client: a channel.close answers the call with its code and text", "[perf]") {
  ScriptedPeer peer;
  std::thread server([&] {
    peer.Greet();
    CHECK(std::holds_alternative<amqp::QueueDeclare>(peer.ReadMethod().method));
    peer.Send(1, amqp::ChannelClose{406, "PRECONDITION_FAILED - inequivalent arg 'durable'",
                                    50, 10});
    auto close_ok = peer.ReadMethod();
    CHECK(close_ok.channel.get() == 1);
    CHECK(std::holds_alternative<amqp::ChannelCloseOk>(close_ok.method));
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  auto reply = c.ok() ? (*c)->Call(amqp::QueueDeclare{QueueName("q1")}) : Result<amqp::Method>(c.status());
  server.join();
  REQUIRE(c.ok());
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().message() ==
        "server closed the channel: 406 PRECONDITION_FAILED - inequivalent arg 'durable'");
}

TEST_CASE("client: deliveries that arrive with consume-ok are kept for the next poll",
          "[perf]") {
  ScriptedPeer peer;
  // consume-ok and three messages in one segment, as a busy broker sends them.
  std::string burst;
  REQUIRE(amqp::WriteMethodFrame(burst, ChannelId(1), amqp::BasicConsumeOk{ConsumerTag("c1")}, 0)
              .ok());
  for (uint64_t tag = 1; tag <= 3; ++tag) {
    REQUIRE(amqp::WriteContent(burst, ChannelId(1),
                               amqp::BasicDeliver{ConsumerTag("c1"), DeliveryTag(tag)}, {},
                               "body" + std::to_string(tag), 8192)
                .ok());
  }
  bool consumed = false;
  std::thread server([&] {
    peer.Greet();
    consumed = std::holds_alternative<amqp::BasicConsume>(peer.ReadMethod().method);
    peer.SendRaw(burst);
  });
  auto c = Connection::Handshake(peer.client_fd, Guest(), "test");
  auto reply = c.ok() ? (*c)->Call(amqp::BasicConsume{QueueName("q1")}) : Result<amqp::Method>(c.status());
  server.join();
  REQUIRE(c.ok());
  REQUIRE(reply.ok());
  CHECK(consumed);
  CHECK(std::holds_alternative<amqp::BasicConsumeOk>(*reply));
  auto events = (*c)->Poll(std::chrono::milliseconds(0));
  REQUIRE(events.ok());
  REQUIRE(events->size() == 9);  // deliver, header, body for each message
  std::vector<std::string> bodies;
  for (const amqp::FrameEvent& e : *events) {
    if (const auto* b = std::get_if<amqp::BodyEvent>(&e)) bodies.emplace_back(b->bytes);
  }
  CHECK(bodies == std::vector<std::string>{"body1", "body2", "body3"});
  auto none = (*c)->Poll(std::chrono::milliseconds(0));
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("client: a connection to the fake broker opens in the spec's order", "[perf]") {
  testing::FakeBroker broker;
  {
    auto c = Connection::Open(*ParseUri(broker.Uri()), "order");
    REQUIRE(c.ok());
    (*c)->Close(std::chrono::seconds(2));
  }
  const auto seen = broker.seen();
  CHECK(seen.methods == std::vector<std::string>{"connection.start-ok", "connection.tune-ok",
                                                 "connection.open", "channel.open",
                                                 "connection.close"});
  CHECK(seen.product == "warren-perf");
  CHECK(seen.vhost == "/");
}

TEST_CASE("client: a refused connection names the address", "[perf]") {
  testing::FakeBroker broker;
  Uri uri = *ParseUri(broker.Uri());
  {
    // Find a port nothing listens on: bind one, then close it.
    testing::FakeBroker gone;
    uri.port = ParseUri(gone.Uri())->port;
  }
  auto c = Connection::Open(uri, "refused");
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().kind() == ErrorKind::kUnavailable);
  CHECK(c.status().message() ==
        "cannot connect to 127.0.0.1:" + std::to_string(uri.port) + ": Connection refused");
}

}  // namespace
}  // namespace warren::perf
