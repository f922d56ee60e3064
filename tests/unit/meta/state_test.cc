#include "meta/state.h"

#include <catch2/catch.hpp>

namespace warren::meta {

TEST_CASE("state: a blank node has vhost / and guest with full permissions on it", "[meta]") {
  State s = State::Initial("h");
  REQUIRE(s.FindVhost("/") != nullptr);
  REQUIRE(s.FindUser("guest") != nullptr);
  CHECK(s.FindUser("guest")->tags == std::vector<std::string>{"administrator"});
  CHECK(s.permissions().at({"guest", "/"}).configure == ".*");
}

TEST_CASE("state: a failing command changes nothing", "[meta]") {
  State s = State::Initial("h");
  REQUIRE(s.Apply({{"op", "user.add"}, {"name", "a"}}).ok());
  Status dup = s.Apply({{"op", "user.add"}, {"name", "a"}});
  CHECK(dup.kind() == ErrorKind::kAlreadyExists);
  CHECK(dup.message() == "User \"a\" already exists");
  Status perm = s.Apply({{"op", "permission.set"}, {"user", "a"}, {"vhost", "nope"},
                         {"configure", ".*"}, {"write", ""}, {"read", ""}});
  CHECK(perm.kind() == ErrorKind::kNotFound);
  CHECK(perm.subject() == "vhost");
  Status batch = s.Apply({{"op", "batch"},
                          {"commands", {{{"op", "user.add"}, {"name", "b"}},
                                        {{"op", "user.add"}, {"name", "a"}}}}});
  CHECK_FALSE(batch.ok());
  CHECK(s.FindUser("b") == nullptr);
  CHECK(s.Apply({{"op", "nonsense"}}).kind() == ErrorKind::kBadInput);
}

TEST_CASE("state: deleting a user or vhost removes what refers to it", "[meta]") {
  State s = State::Initial("h");
  REQUIRE(s.Apply({{"op", "vhost.add"}, {"name", "dev"}}).ok());
  REQUIRE(s.Apply({{"op", "permission.set"}, {"user", "guest"}, {"vhost", "dev"},
                   {"configure", "a"}, {"write", "b"}, {"read", "c"}}).ok());
  REQUIRE(s.Apply({{"op", "policy.set"}, {"vhost", "dev"}, {"name", "p"}, {"pattern", "^"},
                   {"definition", {{"max-length", 1}}}}).ok());
  REQUIRE(s.Apply({{"op", "vhost.delete"}, {"name", "dev"}}).ok());
  CHECK(s.permissions().count({"guest", "dev"}) == 0);
  CHECK(s.policies().empty());
  REQUIRE(s.Apply({{"op", "user.delete"}, {"name", "guest"}}).ok());
  CHECK(s.permissions().empty());
}

TEST_CASE("state: definitions round-trip through commands", "[meta]") {
  State s = State::Initial("h");
  REQUIRE(s.Apply({{"op", "vhost.add"}, {"name", "dev"}, {"description", "d"},
                   {"tags", {"x", "y"}}}).ok());
  REQUIRE(s.Apply({{"op", "user.add"}, {"name", "alice"}, {"password_hash", "pw"},
                   {"tags", {"monitoring"}}}).ok());
  REQUIRE(s.Apply({{"op", "topic_permission.set"}, {"user", "alice"}, {"vhost", "dev"},
                   {"exchange", "amq.topic"}, {"write", "^a"}, {"read", "^b"}}).ok());
  REQUIRE(s.Apply({{"op", "parameter.set"}, {"vhost", "dev"}, {"component", "c"},
                   {"name", "n"}, {"value", {{"k", 1}}}}).ok());
  REQUIRE(s.Apply({{"op", "global_parameter.set"}, {"name", "cluster_name"}, {"value", "x"}}).ok());
  REQUIRE(s.Apply({{"op", "exchange.declare"}, {"vhost", "dev"}, {"name", "x"}, {"type", "topic"},
                   {"internal", true}, {"arguments", {{"alternate-exchange", "ae"}}}}).ok());
  REQUIRE(s.Apply({{"op", "queue.declare"}, {"vhost", "dev"}, {"name", "q"},
                   {"arguments", {{"x-queue-type", "quorum"}}}}).ok());
  REQUIRE(s.Apply({{"op", "binding.add"}, {"vhost", "dev"}, {"source", "x"}, {"destination", "q"},
                   {"destination_type", "queue"}, {"routing_key", "k"}}).ok());
  json defs = s.ToDefinitions();
  auto commands = State::CommandsFromDefinitions(defs);
  REQUIRE(commands.ok());
  State t;
  for (const auto& c : *commands) REQUIRE(t.Apply(c).ok());
  CHECK(t.ToDefinitions() == defs);
  CHECK(t.exchanges().at({"dev", "x"}).internal);
  CHECK(t.queues().at({"dev", "q"}).arguments["x-queue-type"] == "quorum");
  CHECK(t.bindings().size() == 1);
}

TEST_CASE("state: malformed definitions name the bad entry", "[meta]") {
  auto r = State::CommandsFromDefinitions(json{{"vhosts", {{{"nom", "x"}}}}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "definitions: vhosts[0]: field 'name' must be a string");
  CHECK_FALSE(State::CommandsFromDefinitions(json::array()).ok());
  CHECK_FALSE(State::CommandsFromDefinitions(json{{"users", "x"}}).ok());
}

}  // namespace warren::meta
