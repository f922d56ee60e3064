// Policies and operator policies as RabbitMQ 3.10 validates and applies them.
// Validation: the keys a definition may hold and their value types, the pattern (a
// regular expression), apply-to and priority, with RabbitMQ's error texts
// (shared/reference/rabbitmq-3.10.8/policies.txt). Matching: which policy applies to a
// queue or an exchange, and the effective definition once operator policies cap it.
// Value types; PolicySet is immutable after Create and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::policy {

using json = nlohmann::json;

enum class Kind { kPolicy, kOperatorPolicy };

// RabbitMQ 3.10's apply-to values: "all", "queues", "exchanges".
enum class ApplyTo { kAll, kQueues, kExchanges };
// nullopt for anything else.
std::optional<ApplyTo> ParseApplyTo(std::string_view text);
std::string_view ApplyToName(ApplyTo a);

// Checks a definition ({"ha-mode": "all", ...}) against the keys `kind` accepts.
// Returns RabbitMQ's message for the first problem ("<<\"bogus\">> is not a valid
// ha-mode value", "[{<<\"x\">>,1}] are not recognised policy settings"), or "" when
// the definition is valid.
std::string CheckDefinition(Kind kind, const json& definition);

// Validates a whole policy as rabbit_policy does: `props` holds "pattern", "definition",
// "priority" and optionally "apply-to". BadInput("Validation failed\n\n<errors>\n")
// listing every problem, in RabbitMQ's order; OK when the policy may be stored.
Status ValidatePolicy(Kind kind, const std::string& name, const json& props);

// The regular expression in a policy pattern; RabbitMQ's wording of what is wrong
// with it ("pattern should be regular expression but is invalid: ..."), or "".
std::string CheckPattern(const json& pattern);

// What a policy may be applied to.
enum class ResourceKind { kQueue, kExchange };
// Queue types differ in the policy keys they support; a policy holding a key the
// queue's type does not support does not apply to that queue at all.
enum class QueueType { kClassic, kQuorum, kStream };

struct Resource {
  std::string name;
  ResourceKind kind = ResourceKind::kQueue;
  QueueType queue_type = QueueType::kClassic;  // queues only
};

// A stored policy of one vhost.
struct Policy {
  std::string name;
  std::string pattern;
  ApplyTo apply_to = ApplyTo::kAll;
  int priority = 0;
  json definition = json::object();
};

// The policies (or the operator policies) of one vhost, with compiled patterns.
class PolicySet {
 public:
  PolicySet();
  ~PolicySet();
  PolicySet(PolicySet&&) noexcept;
  PolicySet& operator=(PolicySet&&) noexcept;

  // BadInput naming the policy whose pattern does not compile.
  static Result<PolicySet> Create(std::vector<Policy> policies);

  // The policy that applies to `r`: of those whose apply-to fits, whose pattern
  // matches the name somewhere (an unanchored search, as re:run) and that the
  // queue's type supports, the one with the highest priority; ties go to the name
  // that sorts first. nullptr when none applies.
  const Policy* Match(const Resource& r) const;

  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The definition in effect for a resource: the policy's definition with the operator
// policy's keys added, and where both set a key, the operator policy's cap applied
// (the lower value wins for message-ttl, expires, max-length, max-length-bytes,
// max-in-memory-length, max-in-memory-bytes and delivery-limit, as RabbitMQ merges
// them). Either may be null; the result is an empty object when both are.
json EffectiveDefinition(const Policy* policy, const Policy* operator_policy);

struct Effective {
  const Policy* policy = nullptr;
  const Policy* operator_policy = nullptr;
  json definition = json::object();
};

// Match + EffectiveDefinition for one resource of a vhost.
Effective Resolve(const Resource& r, const PolicySet& policies,
                  const PolicySet& operator_policies);

}  // namespace warren::policy
