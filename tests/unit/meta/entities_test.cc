#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "meta/state.h"
#include "meta/store.h"
#include "unit/store/temp_dir.h"

namespace warren::meta {
namespace {

json DeclareExchange(const std::string& vhost, const std::string& name, const std::string& type = "direct") {
  return {{"op", "exchange.declare"}, {"vhost", vhost}, {"name", name}, {"type", type},
          {"durable", true}, {"auto_delete", false}, {"internal", false},
          {"arguments", json::object()}};
}

json DeclareQueue(const std::string& vhost, const std::string& name, json args = json::object()) {
  return {{"op", "queue.declare"}, {"vhost", vhost}, {"name", name}, {"durable", true},
          {"auto_delete", false}, {"arguments", std::move(args)}};
}

json Bind(const std::string& vhost, const std::string& source, const std::string& destination,
          const std::string& key, const std::string& type = "queue", json args = json::object()) {
  return {{"op", "binding.add"}, {"vhost", vhost}, {"source", source},
          {"destination", destination}, {"destination_type", type}, {"routing_key", key},
          {"arguments", std::move(args)}};
}

json Unbind(json binding) {
  binding["op"] = "binding.delete";
  return binding;
}

// A vhost "dev" with exchanges x1 (-> q1, q2, and -> exchange x2), x2 (-> q2).
std::vector<json> Topology() {
  return {{{"op", "vhost.add"}, {"name", "dev"}},
          DeclareExchange("dev", "x1", "topic"),
          DeclareExchange("dev", "x2", "fanout"),
          DeclareQueue("dev", "q1"),
          DeclareQueue("dev", "q2", {{"x-queue-type", "quorum"}}),
          Bind("dev", "x1", "q1", "a.#"),
          Bind("dev", "x1", "q2", "b.*"),
          Bind("dev", "x1", "x2", "c", "exchange"),
          Bind("dev", "x2", "q2", ""),
          DeclareQueue("/", "root-q"),
          Bind("/", "amq.direct", "root-q", "root-q")};
}

State Applied(const std::vector<json>& commands) {
  State s = State::Initial("h");
  for (const auto& c : commands) REQUIRE(s.Apply(c).ok());
  return s;
}

size_t BindingsNaming(const State& s, const std::string& name) {
  size_t n = 0;
  for (const auto& [_, b] : s.bindings()) n += (b.source == name || b.destination == name);
  return n;
}

using testing::TempDir;

}  // namespace

TEST_CASE("entities: declare records the fields, and declaring again replaces", "[meta]") {
  State s = Applied(Topology());
  const auto& q2 = s.queues().at({"dev", "q2"});
  CHECK(q2.durable);
  CHECK(q2.arguments == json{{"x-queue-type", "quorum"}});
  CHECK(s.exchanges().at({"dev", "x1"}).type == "topic");
  CHECK(s.exchanges().size() == 2);
  CHECK(s.queues().size() == 3);
  CHECK(s.bindings().size() == 5);

  json again = DeclareExchange("dev", "x1", "direct");
  again["internal"] = true;
  REQUIRE(s.Apply(again).ok());
  CHECK(s.exchanges().at({"dev", "x1"}).type == "direct");
  CHECK(s.exchanges().at({"dev", "x1"}).internal);
  CHECK(s.exchanges().size() == 2);
  // Redeclaring keeps the bindings: only a delete removes them.
  CHECK(s.bindings().size() == 5);

  // Optional fields take AMQP's defaults.
  REQUIRE(s.Apply({{"op", "queue.declare"}, {"vhost", "dev"}, {"name", "bare"}}).ok());
  const auto& bare = s.queues().at({"dev", "bare"});
  CHECK(bare.durable);
  CHECK_FALSE(bare.auto_delete);
  CHECK(bare.arguments == json::object());
}

TEST_CASE("entities: equal bindings are held once; arguments tell bindings apart", "[meta]") {
  State s = Applied(Topology());
  REQUIRE(s.Apply(Bind("dev", "x1", "q1", "a.#")).ok());
  CHECK(s.bindings().size() == 5);
  REQUIRE(s.Apply(Bind("dev", "x1", "q1", "a.#", "queue", {{"x-match", "any"}})).ok());
  CHECK(s.bindings().size() == 6);
  REQUIRE(s.Apply(Unbind(Bind("dev", "x1", "q1", "a.#"))).ok());
  CHECK(s.bindings().size() == 5);
  CHECK(s.bindings().count(KeyOf(Binding{"dev", "x1", "q1", "queue", "a.#", {{"x-match", "any"}}})));
}

TEST_CASE("entities: a forgotten member takes its queues and non-durable exchanges along",
          "[meta]") {
  State s = Applied(Topology());
  json q1 = DeclareQueue("dev", "q1");
  q1["node"] = "gone@h";
  json x2 = DeclareExchange("dev", "x2", "fanout");
  x2["durable"] = false;
  x2["node"] = "gone@h";
  json durable_x1 = DeclareExchange("dev", "x1", "topic");
  durable_x1["node"] = "gone@h";  // a durable exchange belongs to no member
  REQUIRE(s.Apply(q1).ok());
  REQUIRE(s.Apply(x2).ok());
  REQUIRE(s.Apply(durable_x1).ok());
  const uint64_t revision = s.entity_revision();
  REQUIRE(s.Apply({{"op", "node.forget"}, {"node", "gone@h"}}).ok());
  CHECK(s.entity_revision() > revision);
  CHECK_FALSE(s.queues().count({"dev", "q1"}));
  CHECK(s.queues().count({"dev", "q2"}));
  CHECK_FALSE(s.exchanges().count({"dev", "x2"}));
  CHECK(s.exchanges().count({"dev", "x1"}));
  // x1 -> q1 (q1 gone), x1 -> x2 and x2 -> q2 (x2 gone) went; x1 -> q2 and / stayed.
  CHECK(s.bindings().size() == 2);
  CHECK(s.bindings().count(KeyOf(Binding{"dev", "x1", "q2", "queue", "b.*", json::object()})));
  CHECK(s.Apply({{"op", "node.forget"}}).kind() == ErrorKind::kBadInput);
}

TEST_CASE("entities: a delete naming a node removes only that node's record", "[meta]") {
  State s = Applied(Topology());
  json q = DeclareQueue("dev", "tmp");
  q["durable"] = false;
  q["node"] = "now@h";
  REQUIRE(s.Apply(q).ok());
  json stale = {{"op", "queue.delete"}, {"vhost", "dev"}, {"name", "tmp"}, {"node", "before@h"}};
  CHECK(s.Apply(stale).kind() == ErrorKind::kNotFound);
  CHECK(s.queues().count({"dev", "tmp"}));
  stale["node"] = "now@h";
  CHECK(s.Apply(stale).ok());
  CHECK_FALSE(s.queues().count({"dev", "tmp"}));
}

TEST_CASE("entities: bad commands are refused and change nothing", "[meta]") {
  State s = Applied(Topology());
  const json before = s.ToDefinitions();

  Status st = s.Apply(DeclareExchange("nowhere", "x"));
  CHECK(st.kind() == ErrorKind::kNotFound);
  CHECK(st.message() == "Virtual host 'nowhere' does not exist");
  st = s.Apply(Bind("nowhere", "x", "q", ""));
  CHECK(st.kind() == ErrorKind::kNotFound);
  CHECK(st.message() == NoSuchVhost("nowhere"));
  CHECK(s.Apply(DeclareQueue("nowhere", "q")).kind() == ErrorKind::kNotFound);

  st = s.Apply({{"op", "exchange.delete"}, {"vhost", "dev"}, {"name", "nope"}});
  CHECK(st.kind() == ErrorKind::kNotFound);
  CHECK(st.message() == "no exchange 'nope' in vhost 'dev'");
  st = s.Apply({{"op", "queue.delete"}, {"vhost", "dev"}, {"name", "nope"}});
  CHECK(st.kind() == ErrorKind::kNotFound);
  CHECK(st.message() == "no queue 'nope' in vhost 'dev'");
  st = s.Apply(Unbind(Bind("dev", "x1", "q1", "zz")));
  CHECK(st.kind() == ErrorKind::kNotFound);
  CHECK(st.message() ==
        "no binding zz between exchange 'x1' in vhost 'dev' and queue 'q1' in vhost 'dev'");

  CHECK(s.Apply(Bind("dev", "x1", "q1", "", "stream")).kind() == ErrorKind::kBadInput);
  json no_type = DeclareExchange("dev", "x3");
  no_type.erase("type");
  CHECK(s.Apply(no_type).kind() == ErrorKind::kBadInput);
  json bad_durable = DeclareQueue("dev", "q3");
  bad_durable["durable"] = "yes";
  CHECK(s.Apply(bad_durable).kind() == ErrorKind::kBadInput);
  CHECK(s.Apply(DeclareQueue("dev", "q3", json::array({1}))).kind() == ErrorKind::kBadInput);
  CHECK(s.Apply(DeclareExchange("dev", "amq.mine")).kind() == ErrorKind::kAccessRefused);
  CHECK(s.Apply(DeclareExchange("dev", "")).kind() == ErrorKind::kAccessRefused);
  // In a batch, a bad command undoes the good ones before it.
  CHECK_FALSE(s.Apply({{"op", "batch"},
                       {"commands", {DeclareQueue("dev", "q9"), DeclareExchange("nowhere", "x")}}})
                  .ok());
  CHECK(s.ToDefinitions() == before);
}

TEST_CASE("entities: deleting an exchange or queue deletes the bindings naming it", "[meta]") {
  State s = Applied(Topology());
  SECTION("an exchange, as source and as destination") {
    REQUIRE(s.Apply({{"op", "exchange.delete"}, {"vhost", "dev"}, {"name", "x2"}}).ok());
    CHECK(BindingsNaming(s, "x2") == 0);
    CHECK(s.bindings().size() == 3);  // x1->q1, x1->q2, amq.direct->root-q
    REQUIRE(s.Apply({{"op", "exchange.delete"}, {"vhost", "dev"}, {"name", "x1"}}).ok());
    CHECK(s.bindings().size() == 1);
    CHECK(s.queues().size() == 3);
  }
  SECTION("a queue") {
    REQUIRE(s.Apply({{"op", "queue.delete"}, {"vhost", "dev"}, {"name", "q2"}}).ok());
    CHECK(BindingsNaming(s, "q2") == 0);
    CHECK(s.bindings().size() == 3);
    CHECK(s.exchanges().size() == 2);
  }
  SECTION("a queue named like an exchange in another vhost keeps that vhost's bindings") {
    REQUIRE(s.Apply(DeclareQueue("/", "x1")).ok());
    REQUIRE(s.Apply({{"op", "queue.delete"}, {"vhost", "/"}, {"name", "x1"}}).ok());
    CHECK(s.bindings().size() == 5);
  }
  SECTION("a vhost takes its exchanges, queues and bindings with it") {
    REQUIRE(s.Apply({{"op", "vhost.delete"}, {"name", "dev"}}).ok());
    CHECK(s.exchanges().empty());
    CHECK(s.queues().size() == 1);
    CHECK(s.bindings().size() == 1);
    REQUIRE(s.Apply({{"op", "vhost.add"}, {"name", "dev"}}).ok());
    CHECK(s.queues().count({"dev", "q1"}) == 0);
  }
}

TEST_CASE("entities: replaying the same commands gives the same state", "[meta]") {
  std::vector<json> commands = Topology();
  commands.push_back({{"op", "queue.delete"}, {"vhost", "dev"}, {"name", "q1"}});
  commands.push_back(Bind("dev", "x2", "q2", "again"));
  State a = State::Initial("h");
  State b = State::Initial("h");
  for (const auto& c : commands) REQUIRE(a.Apply(c).ok());
  REQUIRE(b.Apply({{"op", "batch"}, {"commands", commands}}).ok());
  CHECK(a.ToDefinitions() == b.ToDefinitions());
  CHECK(a.ToDefinitions().dump() == b.ToDefinitions().dump());

  // Through the durable store: from the log, then from a snapshot.
  TempDir dir;
  StoreOptions o;
  o.dir = dir.path;
  o.initial_guest_hash = [] { return std::string("h"); };
  {
    auto store = Store::Open(o);
    REQUIRE(store.ok());
    for (const auto& c : commands) REQUIRE((*store)->Submit(c).ok());
  }
  auto from_log = Store::Open(o);
  REQUIRE(from_log.ok());
  CHECK((*from_log)->state().ToDefinitions() == a.ToDefinitions());
  REQUIRE((*from_log)->Snapshot().ok());
  from_log->reset();
  auto from_snapshot = Store::Open(o);
  REQUIRE(from_snapshot.ok());
  CHECK((*from_snapshot)->state().ToDefinitions() == a.ToDefinitions());
  CHECK((*from_snapshot)->state().bindings().size() == a.bindings().size());
}

TEST_CASE("entities: definitions are written as RabbitMQ 3.10 exports them", "[meta]") {
  State s = Applied(Topology());
  json internal = DeclareExchange("dev", "hidden");
  internal["internal"] = true;
  REQUIRE(s.Apply(internal).ok());
  json d = s.ToDefinitions();
  REQUIRE(d["queues"].size() == 3);
  CHECK(d["queues"][0] == json::parse(R"({"arguments":{},"auto_delete":false,"durable":true,
      "name":"root-q","type":"classic","vhost":"/"})"));
  CHECK(d["queues"][2]["type"] == "quorum");
  CHECK(d["exchanges"][1] == json::parse(R"({"arguments":{},"auto_delete":false,"durable":true,
      "name":"x1","type":"topic","vhost":"dev"})"));
  CHECK(d["exchanges"][0]["internal"] == true);
  CHECK(d["bindings"][0] == json::parse(R"({"arguments":{},"destination":"root-q",
      "destination_type":"queue","routing_key":"root-q","source":"amq.direct","vhost":"/"})"));
}

TEST_CASE("entities: RabbitMQ 3.10.8's own export imports unchanged", "[meta]") {
  std::ifstream in(std::string(WARREN_SOURCE_DIR) +
                   "/tests/integration/data/rabbitmq-3.10.8-exported-defs.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const json rabbit = json::parse(text.str());
  auto commands = State::CommandsFromDefinitions(rabbit);
  REQUIRE(commands.ok());
  State s;
  for (const auto& c : *commands) REQUIRE(s.Apply(c).ok());
  CHECK(s.queues().size() == rabbit["queues"].size());
  CHECK(s.exchanges().size() == rabbit["exchanges"].size());
  CHECK(s.bindings().size() == rabbit["bindings"].size());
  CHECK(s.queues().at({"/", "qq1"}).arguments["x-queue-type"] == "quorum");
  CHECK_FALSE(s.queues().at({"/", "q2"}).durable);

  // Exported again, each entry is the one RabbitMQ wrote (the order may differ).
  json d = s.ToDefinitions();
  for (const char* section : {"queues", "exchanges", "bindings"}) {
    INFO(section);
    CHECK(d[section].size() == rabbit[section].size());
    for (const auto& entry : rabbit[section]) {
      INFO(entry.dump());
      CHECK(std::find(d[section].begin(), d[section].end(), entry) != d[section].end());
    }
  }
}

TEST_CASE("entities: imports skip predeclared exchanges and name malformed entries", "[meta]") {
  auto r = State::CommandsFromDefinitions(
      json::parse(R"({"exchanges":[{"name":"amq.direct","vhost":"/","type":"direct"},
                                   {"name":"","vhost":"/","type":"direct"},
                                   {"name":"mine","vhost":"/","type":"direct"}]})"));
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0]["name"] == "mine");
  CHECK((*r)[0]["op"] == "exchange.declare");

  r = State::CommandsFromDefinitions(json{{"bindings", {1}}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "definitions: bindings[0]: must be an object");
  r = State::CommandsFromDefinitions(json{{"queues", "q"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "'queues' must be a list");

  // A queue whose type is only in "type" keeps it as x-queue-type.
  r = State::CommandsFromDefinitions(
      json::parse(R"({"queues":[{"name":"s","vhost":"/","durable":true,"type":"stream"}]})"));
  REQUIRE(r.ok());
  CHECK((*r)[0]["arguments"] == json{{"x-queue-type", "stream"}});
  CHECK_FALSE((*r)[0].contains("type"));
}

}  // namespace warren::meta
