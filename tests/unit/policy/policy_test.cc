#include "policy/policy.h"

#include <catch2/catch.hpp>

namespace warren::policy {
namespace {

json J(const char* text) { return json::parse(text); }

json Props(const char* definition, const char* pattern = "^", const char* apply_to = "all",
           int priority = 0) {
  return {{"pattern", pattern},
          {"definition", json::parse(definition)},
          {"priority", priority},
          {"apply-to", apply_to}};
}

}  // namespace

TEST_CASE("policy: accepts the definitions of the reference transcripts", "[policy]") {
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"all","ha-sync-mode":"automatic"})")) == "");
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"message-ttl":60000,"max-length":1000})")) == "");
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"federation-upstream-set":"all"})")) == "");
  CHECK(CheckDefinition(Kind::kOperatorPolicy, J(R"({"max-length":5000})")) == "");
}

TEST_CASE("policy: rejects an unknown ha-mode with RabbitMQ's text", "[policy]") {
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"bogus"})")) ==
        "<<\"bogus\">> is not a valid ha-mode value");
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":3})")) == "3 is not a valid ha-mode value");
}

TEST_CASE("policy: lists keys nobody recognises as Erlang tuples", "[policy]") {
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"no-such-key":1})")) ==
        "[{<<\"no-such-key\">>,1}] are not recognised policy settings");
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"b":"x","a":[1,true],"max-length":1})")) ==
        "[{<<\"a\">>,[1,true]},{<<\"b\">>,<<\"x\">>}] are not recognised policy settings");
}

TEST_CASE("policy: checks ha-params against the ha-mode", "[policy]") {
  SECTION("all takes none") {
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"all","ha-params":2})")) ==
          "ha-mode=\"all\" does not take parameters");
  }
  SECTION("exactly takes a positive integer") {
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"exactly","ha-params":2})")) == "");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"exactly","ha-params":0})")) ==
          "ha-mode=\"exactly\" takes an integer, 0 given");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"exactly"})")) ==
          "ha-mode=\"exactly\" takes an integer, none given");
  }
  SECTION("nodes takes a non-empty list of strings") {
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"nodes","ha-params":["a@h"]})")) == "");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"nodes","ha-params":[]})")) ==
          "ha-mode=\"nodes\" list must be non-empty");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"nodes","ha-params":["a",1]})")) ==
          "ha-mode=\"nodes\" takes a list of strings, [1] was not a string");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"nodes","ha-params":"a"})")) ==
          "ha-mode=\"nodes\" takes a list, <<\"a\">> given");
  }
  SECTION("the other ha keys need an ha-mode") {
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-sync-mode":"manual"})")) ==
          "ha-mode must be specified to specify ha-params, ha-sync-mode or "
          "ha-promote-on-shutdown");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"all","ha-sync-mode":"sometimes"})")) ==
          "ha-sync-mode must be \"manual\" or \"automatic\", got <<\"sometimes\">>");
    CHECK(CheckDefinition(Kind::kPolicy,
                          J(R"({"ha-mode":"all","ha-promote-on-failure":"never"})")) ==
          "ha-promote-on-failure must be \"always\" or \"when-synced\", got <<\"never\">>");
    CHECK(CheckDefinition(Kind::kPolicy, J(R"({"ha-mode":"all","ha-sync-batch-size":0})")) ==
          "ha-sync-batch-size takes an integer greater than 0, 0 given");
  }
}

TEST_CASE("policy: checks the value of each queue and exchange key", "[policy]") {
  struct Case {
    const char* definition;
    const char* error;
  };
  const Case cases[] = {
      {R"({"message-ttl":-1})", "-1 is not a valid message TTL"},
      {R"({"message-ttl":1.5})", "1.5 is not a valid message TTL"},
      {R"({"expires":0})", "0 is not a valid queue expiry"},
      {R"({"max-length":"10"})", "<<\"10\">> is not a valid maximum length"},
      {R"({"max-length-bytes":null})", "null is not a valid maximum length in bytes"},
      {R"({"overflow":"drop-tail"})", "<<\"drop-tail\">> is not a valid overflow value"},
      {R"({"queue-mode":"eager"})", "<<\"eager\">> is not a valid queue-mode value"},
      {R"({"queue-version":3})", "3 is not a valid queue-version value"},
      {R"({"dead-letter-exchange":1})", "1 is not a valid dead letter exchange name"},
      {R"({"dead-letter-routing-key":false})", "false is not a valid dead letter routing key"},
      {R"({"alternate-exchange":{"a":1}})",
       "#{<<\"a\">> => 1} is not a valid alternate exchange name"},
      {R"({"delivery-limit":-2})", "-2 is not a valid delivery limit"},
      {R"({"max-age":"7X"})", "<<\"7X\">> is not a valid max age"},
      {R"({"queue-master-locator":"nearest"})",
       "<<\"nearest\">> invalid queue-master-locator value"},
      {R"({"federation-upstream":"a","federation-upstream-set":"all"})",
       "cannot specify federation-upstream, federation-upstream-set or "
       "federation-upstream-pattern together"},
      {R"({"federation-upstream-set":5})", "5 is not a valid federation upstream set name"},
  };
  for (const auto& c : cases) {
    INFO(c.definition);
    CHECK(CheckDefinition(Kind::kPolicy, J(c.definition)) == c.error);
  }
  CHECK(CheckDefinition(Kind::kPolicy, J(R"({"max-age":"7D","queue-version":2})")) == "");
  CHECK(CheckDefinition(Kind::kPolicy,
                        J(R"({"overflow":"reject-publish-dlx","dead-letter-exchange":"dlx",
                              "queue-mode":"lazy","queue-master-locator":"min-masters"})")) == "");
}

TEST_CASE("policy: an empty or non-object definition is refused", "[policy]") {
  CHECK(CheckDefinition(Kind::kPolicy, J("{}")) == "no policy provided");
  CHECK(CheckDefinition(Kind::kPolicy, J("[1]")) == "definition must be a dictionary: [1]");
}

TEST_CASE("policy: operator policies accept only the capping keys", "[policy]") {
  CHECK(CheckDefinition(Kind::kOperatorPolicy,
                        J(R"({"expires":1,"message-ttl":2,"max-length":3,"max-length-bytes":4,
                              "max-in-memory-length":5,"max-in-memory-bytes":6,
                              "delivery-limit":7})")) == "");
  CHECK(CheckDefinition(Kind::kOperatorPolicy, J(R"({"ha-mode":"all"})")) ==
        "[{<<\"ha-mode\">>,<<\"all\">>}] are not recognised policy settings");
  CHECK(CheckDefinition(Kind::kOperatorPolicy, J(R"({"max-length":-1})")) ==
        "-1 is not a valid maximum length");
}

TEST_CASE("policy: whole-policy validation reports every problem in RabbitMQ's order",
          "[policy]") {
  CHECK(ValidatePolicy(Kind::kPolicy, "p", Props(R"({"message-ttl":1})")).ok());
  Status s = ValidatePolicy(Kind::kPolicy, "bad5", Props(R"({"message-ttl":1})", "^", "bogus"));
  REQUIRE(!s.ok());
  CHECK(s.kind() == ErrorKind::kBadInput);
  CHECK(s.message() ==
        "Validation failed\n\napply-to 'bogus' unrecognised; should be 'queues', 'exchanges' or "
        "'all'\n");
  s = ValidatePolicy(Kind::kPolicy, "two", Props(R"({"ha-mode":"bogus"})", "(", "nowhere"));
  REQUIRE(!s.ok());
  CHECK(s.message() ==
        "Validation failed\n\n<<\"bogus\">> is not a valid ha-mode value\n"
        "apply-to 'nowhere' unrecognised; should be 'queues', 'exchanges' or 'all'\n"
        "pattern should be regular expression but is invalid: missing )\n");
  s = ValidatePolicy(Kind::kPolicy, "np", json{{"definition", {{"message-ttl", 1}}}});
  REQUIRE(!s.ok());
  CHECK(s.message() ==
        "Validation failed\n\nKey \"pattern\" not found in np\nKey \"priority\" not found in np\n");
}

TEST_CASE("policy: apply-to names round-trip", "[policy]") {
  for (ApplyTo a : {ApplyTo::kAll, ApplyTo::kQueues, ApplyTo::kExchanges})
    CHECK(ParseApplyTo(ApplyToName(a)) == a);
  CHECK(!ParseApplyTo("streams"));
  CHECK(CheckPattern(json("^a")) == "");
  CHECK(CheckPattern(json(1)) == "pattern should be a binary but was 1");
}

}  // namespace warren::policy
