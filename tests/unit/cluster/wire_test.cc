#include "cluster/wire.h"

#include <catch2/catch.hpp>

using namespace warren;
using namespace warren::cluster;

namespace {

// Runs a handshake between a client and a server holding the given cookies, passing
// frames through decoders as a socket would. Returns the client's and server's results.
struct Outcome {
  Status client, server;
  bool client_done = false, server_done = false;
  std::string refusal;
};

Outcome Run(const std::string& client_cookie, const std::string& server_cookie) {
  ClientHandshake client(client_cookie, Hello{"a@host", "rpc", 0, ""});
  ServerHandshake server(server_cookie, "b@host");
  FrameDecoder to_server(kMaxHandshakeFrame), to_client(kMaxHandshakeFrame);
  Outcome o;
  to_server.Feed(client.Begin());
  for (int round = 0; round < 4 && !(o.client_done && o.server_done); ++round) {
    for (auto f = to_server.Next(); f.ok() && *f; f = to_server.Next()) {
      auto step = server.OnFrame(**f);
      if (!step.ok()) {
        o.server = step.status();
        o.refusal = server.refusal();
        to_client.Feed(server.refusal());
        break;
      }
      to_client.Feed(step->send);
      o.server_done = step->done;
    }
    for (auto f = to_client.Next(); f.ok() && *f; f = to_client.Next()) {
      auto step = client.OnFrame(**f);
      if (!step.ok()) {
        o.client = step.status();
        return o;
      }
      to_server.Feed(step->send);
      o.client_done = step->done;
    }
  }
  return o;
}

}  // namespace

TEST_CASE("wire: frames round-trip and split anywhere", "[cluster]") {
  std::string bytes = EncodeFrame(FrameType::kRequest, R"({"id":1})") +
                      EncodeFrame(FrameType::kReply, std::string(1000, 'x'));
  FrameDecoder d(kMaxFrame);
  std::vector<Frame> got;
  for (char c : bytes) {
    d.Feed(std::string_view(&c, 1));
    auto f = d.Next();
    REQUIRE(f.ok());
    if (*f) got.push_back(**f);
  }
  REQUIRE(got.size() == 2);
  CHECK(got[0].type == FrameType::kRequest);
  CHECK(got[0].payload == R"({"id":1})");
  CHECK(got[1].payload.size() == 1000);
  CHECK(d.buffered() == 0);
}

TEST_CASE("wire: oversized, empty and unknown frames are refused", "[cluster]") {
  FrameDecoder big(kMaxHandshakeFrame);
  big.Feed(EncodeFrame(FrameType::kHello, std::string(kMaxHandshakeFrame, 'x')));
  auto f = big.Next();
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("larger than the limit") != std::string::npos);

  FrameDecoder empty(kMaxFrame);
  empty.Feed(std::string(4, '\0'));
  CHECK_FALSE(empty.Next().ok());

  FrameDecoder unknown(kMaxFrame);
  unknown.Feed(std::string("\0\0\0\1\x63", 5));
  auto u = unknown.Next();
  REQUIRE_FALSE(u.ok());
  CHECK(u.status().message() == "unknown inter-node frame type 99");
}

TEST_CASE("wire: the same cookie opens the connection on both sides", "[cluster]") {
  Outcome o = Run("SECRETCOOKIE", "SECRETCOOKIE");
  CHECK(o.client.ok());
  CHECK(o.server.ok());
  CHECK(o.client_done);
  CHECK(o.server_done);
}

TEST_CASE("wire: a wrong cookie is refused with a reason, and never sent", "[cluster]") {
  Outcome o = Run("WRONGCOOKIE", "SECRETCOOKIE");
  CHECK_FALSE(o.server_done);
  REQUIRE_FALSE(o.server.ok());
  CHECK(o.server.kind() == ErrorKind::kAccessRefused);
  CHECK(o.server.message() == "connection attempt from a@host with the wrong cookie");
  REQUIRE_FALSE(o.client.ok());
  CHECK(o.client.kind() == ErrorKind::kAccessRefused);
  CHECK(o.client.message().find("the cookie does not match") != std::string::npos);
  CHECK(o.refusal.find("SECRETCOOKIE") == std::string::npos);
}

TEST_CASE("wire: the client checks the server's proof too", "[cluster]") {
  // A server that answers the client's proof without knowing the cookie cannot forge
  // the welcome: replaying any MAC fails.
  ClientHandshake client("SECRETCOOKIE", Hello{"a@host", "rpc", 0, ""});
  FrameDecoder d(kMaxHandshakeFrame);
  (void)client.Begin();
  std::string nonce(64, 'a');
  auto step = client.OnFrame(
      Frame{FrameType::kChallenge, R"({"v":1,"node":"evil@host","nonce":")" + nonce + R"("})"});
  REQUIRE(step.ok());
  auto welcome = client.OnFrame(Frame{FrameType::kWelcome, R"({"mac":"00"})"});
  REQUIRE_FALSE(welcome.ok());
  CHECK(welcome.status().message().find("evil@host could not prove") != std::string::npos);
}

TEST_CASE("wire: a hello for an unknown purpose or without a raft id is refused", "[cluster]") {
  ServerHandshake server("C", "b@host");
  std::string nonce(64, 'a');
  auto bad = server.OnFrame(Frame{FrameType::kHello, R"({"node":"a@h","purpose":"x","nonce":")" +
                                                         nonce + R"("})"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "unknown connection purpose 'x'");
  ServerHandshake server2("C", "b@host");
  auto raft = server2.OnFrame(
      Frame{FrameType::kHello, R"({"node":"a@h","purpose":"raft","nonce":")" + nonce + R"("})"});
  REQUIRE_FALSE(raft.ok());
  CHECK(raft.status().message() == "raft connection without a raft id");
  ServerHandshake server3("C", "b@host");
  CHECK_FALSE(server3.OnFrame(Frame{FrameType::kHello, "not json"}).ok());
}

TEST_CASE("wire: a broker hello names the calling and the called shard, of its own nodes only",
          "[cluster]") {
  const std::string nonce(64, 'a');
  auto hello = [&](const std::string& fields) {
    return Frame{FrameType::kHello,
                 R"({"node":"a@h","purpose":"broker","nonce":")" + nonce + "\"" + fields + "}"};
  };
  ServerHandshake shards("C", "b@h");
  REQUIRE(shards.OnFrame(hello(R"(,"from":"a@h/1","to":"b@h/2")")).ok());
  CHECK(shards.hello().link_from == "a@h/1");
  CHECK(shards.hello().link_to == "b@h/2");
  // Without them (a node's first shard): the nodes themselves.
  ServerHandshake plain("C", "b@h");
  REQUIRE(plain.OnFrame(hello("")).ok());
  CHECK(plain.hello().link_from == "a@h");
  CHECK(plain.hello().link_to == "b@h");
  // A node cannot speak for another's shard, nor ask for a third node's.
  ServerHandshake forged("C", "b@h");
  auto f = forged.OnFrame(hello(R"(,"from":"c@h/1")"));
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message() == "broker link from c@h/1 to b@h does not join a@h and b@h");
  ServerHandshake elsewhere("C", "b@h");
  CHECK_FALSE(elsewhere.OnFrame(hello(R"(,"to":"c@h/1")")).ok());
  // The client sends what it was given.
  Hello h{"a@h", "broker", 0, ""};
  h.link_from = "a@h/3";
  h.link_to = "b@h";
  ClientHandshake client("C", h);
  FrameDecoder d(kMaxHandshakeFrame);
  d.Feed(client.Begin());
  auto frame = d.Next();
  REQUIRE((frame.ok() && *frame));
  ServerHandshake server("C", "b@h");
  REQUIRE(server.OnFrame(**frame).ok());
  CHECK(server.hello().link_from == "a@h/3");
}
