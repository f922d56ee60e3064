#include "cluster/dist.h"

#include <unistd.h>
#include <uv.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>

using namespace warren;
using namespace warren::cluster;

namespace {

// Runs the loop until `done` or two seconds pass.
template <typename F>
bool RunUntil(uv_loop_t* loop, F done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!done() && std::chrono::steady_clock::now() < deadline) uv_run(loop, UV_RUN_NOWAIT);
  return done();
}

struct Loop {
  uv_loop_t loop;
  Loop() { uv_loop_init(&loop); }
  ~Loop() {
    uv_walk(
        &loop,
        [](uv_handle_t* h, void*) {
          if (!uv_is_closing(h)) uv_close(h, nullptr);
        },
        nullptr);
    while (uv_loop_close(&loop) == UV_EBUSY) uv_run(&loop, UV_RUN_NOWAIT);
  }
};

DistOptions Options(const std::string& name, const std::string& cookie) {
  DistOptions o;
  o.self = name;
  o.cookie = cookie;
  o.bind_ip = "127.0.0.1";
  o.port = 0;
  return o;
}

std::string Addr(const Dist& d) { return "127.0.0.1:" + std::to_string(d.port()); }

}  // namespace

TEST_CASE("dist: requests and replies are pipelined over one authenticated connection",
          "[cluster]") {
  Loop l;
  auto server_opts = Options("b@host", "COOKIE");
  std::string seen_from;
  server_opts.on_request = [&](const std::string& from, const json& req, Reply reply) {
    seen_from = from;
    if (req["op"] == "fail") return reply(Status::NotFound("no such thing", "thing"));
    reply(json{{"echo", req["n"]}});
  };
  auto server = Dist::Start(&l.loop, server_opts);
  REQUIRE(server.ok());
  auto client = Dist::Start(&l.loop, Options("a@host", "COOKIE"));
  REQUIRE(client.ok());

  std::vector<int> answers;
  std::optional<Status> failure;
  for (int i = 0; i < 50; ++i)
    (*client)->Call(Addr(**server), {{"op", "echo"}, {"n", i}},
                    [&](Result<json> r) { answers.push_back(r.ok() ? (*r)["echo"].get<int>() : -1); });
  (*client)->Call(Addr(**server), {{"op", "fail"}},
                  [&](Result<json> r) { failure = r.status(); });
  REQUIRE(RunUntil(&l.loop, [&] { return answers.size() == 50 && failure; }));
  for (int i = 0; i < 50; ++i) CHECK(answers[i] == i);
  CHECK(seen_from == "a@host");
  REQUIRE_FALSE(failure->ok());
  CHECK(failure->kind() == ErrorKind::kNotFound);
  CHECK(failure->message() == "no such thing");
}

TEST_CASE("dist: a wrong cookie fails the call with the server's reason", "[cluster]") {
  Loop l;
  auto server_opts = Options("b@host", "COOKIE");
  bool served = false;
  server_opts.on_request = [&](const std::string&, const json&, Reply reply) {
    served = true;
    reply(json::object());
  };
  auto server = Dist::Start(&l.loop, server_opts);
  REQUIRE(server.ok());
  auto client = Dist::Start(&l.loop, Options("a@host", "OTHER"));
  REQUIRE(client.ok());
  std::optional<Status> result;
  (*client)->Call(Addr(**server), {{"op", "x"}}, [&](Result<json> r) { result = r.status(); });
  REQUIRE(RunUntil(&l.loop, [&] { return result.has_value(); }));
  CHECK_FALSE(served);
  REQUIRE_FALSE(result->ok());
  CHECK(result->kind() == ErrorKind::kAccessRefused);
  CHECK(result->message().find("the cookie does not match") != std::string::npos);
}

TEST_CASE("dist: a node that is down fails the call as unavailable", "[cluster]") {
  Loop l;
  auto client = Dist::Start(&l.loop, Options("a@host", "COOKIE"));
  REQUIRE(client.ok());
  // A port that was free a moment ago: nobody listens there.
  auto probe = Dist::Start(&l.loop, Options("p@host", "COOKIE"));
  REQUIRE(probe.ok());
  std::string addr = Addr(**probe);
  (*probe)->Close();
  std::optional<Status> result;
  (*client)->Call(addr, {{"op", "x"}}, [&](Result<json> r) { result = r.status(); });
  REQUIRE(RunUntil(&l.loop, [&] { return result.has_value(); }));
  REQUIRE_FALSE(result->ok());
  CHECK(result->kind() == ErrorKind::kUnavailable);
  CHECK(result->message().find("cannot connect to " + addr) == 0);
}

TEST_CASE("dist: a raft connection is handed over as a socket after the handshake",
          "[cluster]") {
  Loop l;
  auto server_opts = Options("b@host", "COOKIE");
  int accepted = -1;
  Hello hello;
  server_opts.on_socket = [&](const Hello& h, int fd) {
    hello = h;
    accepted = fd;
  };
  auto server = Dist::Start(&l.loop, server_opts);
  REQUIRE(server.ok());
  auto client = Dist::Start(&l.loop, Options("a@host", "COOKIE"));
  REQUIRE(client.ok());
  int dialed = -1;
  std::string error = "pending";
  (*client)->Dial(Addr(**server), Hello{"", "raft", 7, "127.0.0.1:1"}, [&](int fd, std::string e) {
    dialed = fd;
    error = e;
  });
  REQUIRE(RunUntil(&l.loop, [&] { return dialed >= 0 && accepted >= 0; }));
  CHECK(error.empty());
  CHECK(hello.node == "a@host");
  CHECK(hello.raft_id == 7);
  CHECK(hello.raft_address == "127.0.0.1:1");
  // The two sockets are the two ends of one connection, with nothing left in between.
  REQUIRE(::write(dialed, "raft", 4) == 4);
  char buf[8] = {};
  REQUIRE(::read(accepted, buf, sizeof buf) == 4);
  CHECK(std::string(buf, 4) == "raft");
  ::close(dialed);
  ::close(accepted);
}

TEST_CASE("dist: addresses split into host and port", "[cluster]") {
  CHECK(*SplitAddress("node1:25672") == std::make_pair(std::string("node1"), 25672));
  CHECK(*SplitAddress("[::1]:5") == std::make_pair(std::string("::1"), 5));
  CHECK_FALSE(SplitAddress("node1").ok());
  CHECK_FALSE(SplitAddress("node1:x").ok());
  CHECK_FALSE(SplitAddress("node1:70000").ok());
}
