#include <catch2/catch.hpp>

#include "policy/policy.h"

namespace warren::policy {
namespace {

Policy P(const char* name, const char* pattern, int priority, const char* definition,
         ApplyTo apply_to = ApplyTo::kAll) {
  return {name, pattern, apply_to, priority, json::parse(definition)};
}

PolicySet Set(std::vector<Policy> policies) {
  auto s = PolicySet::Create(std::move(policies));
  REQUIRE(s.ok());
  return std::move(s).value();
}

Resource Queue(const char* name, QueueType type = QueueType::kClassic) {
  return {name, ResourceKind::kQueue, type};
}

}  // namespace

TEST_CASE("match: the highest-priority matching policy wins", "[policy]") {
  PolicySet set = Set({P("ha-all", "^", 0, R"({"ha-mode":"all"})"),
                       P("ttl-q", "^ttl\\.", 5, R"({"message-ttl":60000})", ApplyTo::kQueues)});
  REQUIRE(set.Match(Queue("ttl.a")));
  CHECK(set.Match(Queue("ttl.a"))->name == "ttl-q");
  CHECK(set.Match(Queue("other"))->name == "ha-all");
  // ttl-q applies to queues only; an exchange of the same name gets ha-all.
  CHECK(set.Match({"ttl.a", ResourceKind::kExchange})->name == "ha-all");
}

TEST_CASE("match: patterns search anywhere in the name, as re:run does", "[policy]") {
  PolicySet set = Set({P("mid", "amq", 0, R"({"max-length":1})")});
  CHECK(set.Match(Queue("x.amq.y")));
  CHECK(!set.Match(Queue("x.y")));
}

TEST_CASE("match: equal priorities go to the name that sorts first", "[policy]") {
  PolicySet set = Set({P("b", "^", 1, R"({"max-length":1})"), P("a", "^", 1, R"({"max-length":2})")});
  CHECK(set.Match(Queue("q"))->name == "a");
}

TEST_CASE("match: apply-to exchanges never matches a queue", "[policy]") {
  PolicySet set = Set({P("fed", "^fed\\.", 0, R"({"federation-upstream-set":"all"})",
                         ApplyTo::kExchanges)});
  CHECK(!set.Match(Queue("fed.q")));
  CHECK(set.Match({"fed.x", ResourceKind::kExchange}));
}

TEST_CASE("match: a policy with keys the queue type does not support is skipped", "[policy]") {
  PolicySet set = Set({P("ha", "^", 10, R"({"ha-mode":"all"})"),
                       P("len", "^", 0, R"({"max-length":10})")});
  CHECK(set.Match(Queue("q", QueueType::kClassic))->name == "ha");
  CHECK(set.Match(Queue("q", QueueType::kQuorum))->name == "len");
  CHECK(!set.Match(Queue("q", QueueType::kStream)));
  PolicySet dl = Set({P("dl", "^", 0, R"({"delivery-limit":3})")});
  CHECK(!dl.Match(Queue("q", QueueType::kClassic)));
  CHECK(dl.Match(Queue("q", QueueType::kQuorum)));
}

TEST_CASE("match: an invalid pattern is refused when the set is built", "[policy]") {
  auto s = PolicySet::Create({P("broken", "(", 0, R"({"max-length":1})")});
  REQUIRE(!s.ok());
  CHECK(s.status().message() == "policy 'broken' has an invalid pattern: missing )");
}

TEST_CASE("effective: operator policies cap numeric limits with the lower value", "[policy]") {
  Policy user = P("user", "^", 0, R"({"max-length":1000,"message-ttl":60000,"ha-mode":"all"})");
  Policy op = P("op", "^", 0, R"({"max-length":5000,"message-ttl":100,"expires":10})");
  json eff = EffectiveDefinition(&user, &op);
  CHECK(eff == json::parse(
                   R"({"max-length":1000,"message-ttl":100,"expires":10,"ha-mode":"all"})"));
  CHECK(EffectiveDefinition(nullptr, &op) == op.definition);
  CHECK(EffectiveDefinition(&user, nullptr) == user.definition);
  CHECK(EffectiveDefinition(nullptr, nullptr) == json::object());
}

TEST_CASE("effective: Resolve combines the matches of both sets", "[policy]") {
  PolicySet policies = Set({P("ttl", "^q", 0, R"({"message-ttl":500})")});
  PolicySet ops = Set({P("cap", "^", 0, R"({"message-ttl":100,"max-length":7})", ApplyTo::kQueues)});
  Effective e = Resolve(Queue("q1"), policies, ops);
  REQUIRE(e.policy);
  REQUIRE(e.operator_policy);
  CHECK(e.definition == json::parse(R"({"message-ttl":100,"max-length":7})"));
  Effective x = Resolve({"q1", ResourceKind::kExchange}, policies, ops);
  CHECK(x.policy);
  CHECK(!x.operator_policy);
  CHECK(x.definition == json::parse(R"({"message-ttl":500})"));
}

}  // namespace warren::policy
