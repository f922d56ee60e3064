#include "policy/parameters.h"

#include <catch2/catch.hpp>

namespace warren::policy {

TEST_CASE("parameters: JSON values print as Erlang terms", "[policy]") {
  CHECK(ErlangTerm(json("bogus")) == "<<\"bogus\">>");
  CHECK(ErlangTerm(json("a\"b\\")) == "<<\"a\\\"b\\\\\">>");
  CHECK(ErlangTerm(json(-3)) == "-3");
  CHECK(ErlangTerm(json(1.5)) == "1.5");
  CHECK(ErlangTerm(json(100.0)) == "100.0");
  CHECK(ErlangTerm(json(1e21)) == "1.0e21");
  CHECK(ErlangTerm(json(0.00001)) == "1.0e-5");
  CHECK(ErlangTerm(json(0.001)) == "0.001");
  CHECK(ErlangTerm(json(nullptr)) == "null");
  CHECK(ErlangTerm(json::parse(R"([true,"x",[]])")) == "[true,<<\"x\">>,[]]");
  CHECK(ErlangTerm(json::parse(R"({"b":1,"a":"z"})")) == "#{<<\"a\">> => <<\"z\">>,<<\"b\">> => 1}");
  CHECK(ErlangTerm(json("caf\xc3\xa9")) == "<<\"caf\xc3\xa9\"/utf8>>");
  CHECK(ErlangTerm(json(std::string("\x01\xff", 2))) == "<<1,255>>");
}

TEST_CASE("parameters: vhost limits take integer max-connections and max-queues", "[policy]") {
  CHECK(ValidateVhostLimits(json::parse(R"({"max-connections":256,"max-queues":100})")).empty());
  CHECK(ValidateVhostLimits(json::parse(R"({"max-queues":-1})")).empty());
  CHECK(ValidateVhostLimits(json::parse(R"({"max-queues":"ten"})")) ==
        Errors{"max-queues should be a number, actually was <<\"ten\">>"});
  CHECK(ValidateVhostLimits(json::parse(R"({"max-channels":1,"max-queues":1.5,
                                            "max-connections":"x"})")) ==
        Errors{"Unrecognised terms [{<<\"max-channels\">>,1}] in limits",
               "max-queues should be a number, actually was 1.5",
               "max-connections should be a number, actually was <<\"x\">>"});
  CHECK(ValidateVhostLimits(json(5)) == Errors{"limits not a list 5"});
}

TEST_CASE("parameters: proplist validation names missing mandatory keys", "[policy]") {
  const std::vector<Constraint> upstream = {
      {"uri", checks::Binary(), true},
      {"expires", checks::Number(), false},
      {"ack-mode", checks::Enum({"no-ack", "on-publish", "on-confirm"}), false},
      {"trust-user-id", checks::Boolean(), false},
      {"nodes", checks::List(), false},
      {"pattern", checks::Regex(), false},
  };
  CHECK(ValidateProplist("my-up", upstream, json::parse(R"({"uri":"amqp://h"})")).empty());
  CHECK(ValidateProplist("bad-up", upstream, json::parse(R"({"expires":3600000})")) ==
        Errors{"Key \"uri\" not found in bad-up"});
  CHECK(ValidateProplist("x", upstream,
                         json::parse(R"({"uri":"u","ack-mode":"maybe","trust-user-id":1,
                                         "nodes":{},"pattern":"[","expires":"soon"})")) ==
        Errors{"pattern should be regular expression but is invalid: missing terminating ] for "
               "character class",
               "nodes should be list, actually was #{}",
               "trust-user-id should be boolean, actually was 1",
               "ack-mode should be one of [<<\"no-ack\">>,<<\"on-publish\">>,<<\"on-confirm\">>], "
               "actually was <<\"maybe\">>",
               "expires should be a number, actually was <<\"soon\">>"});
  CHECK(ValidateProplist("l", upstream, json::parse("[1,2]")) ==
        Errors{"Unrecognised terms [1,2] in l", "Key \"uri\" not found in l"});
}

TEST_CASE("parameters: the registry refuses unknown components with RabbitMQ's text",
          "[policy]") {
  ComponentRegistry reg;
  Status s = reg.Validate("/", "no-such-component", "x", json::parse(R"({"a":1})"));
  REQUIRE(!s.ok());
  CHECK(s.kind() == ErrorKind::kBadInput);
  CHECK(s.message() == "Validation failed\n\ncomponent no-such-component not found\n");
}

TEST_CASE("parameters: a registered component validates its values", "[policy]") {
  ComponentRegistry reg;
  const std::vector<Constraint> c = {{"uri", checks::Binary(), true},
                                     {"expires", checks::Number(), false}};
  REQUIRE(reg.Register("upstream", [c](const std::string&, const std::string& name,
                                       const json& value) {
               return ValidateProplist(name, c, value);
             }).ok());
  CHECK(reg.Contains("upstream"));
  CHECK(reg.Components() == std::vector<std::string>{"upstream"});
  CHECK(reg.Register("upstream", nullptr).kind() == ErrorKind::kAlreadyExists);
  CHECK(reg.Validate("/", "upstream", "u", json::parse(R"({"uri":"amqp://"})")).ok());
  Status s = reg.Validate("/", "upstream", "bad-up", json::parse(R"({"expires":1})"));
  REQUIRE(!s.ok());
  CHECK(s.message() == "Validation failed\n\nKey \"uri\" not found in bad-up\n");
  reg.Unregister("upstream");
  CHECK(!reg.Contains("upstream"));
}

}  // namespace warren::policy
