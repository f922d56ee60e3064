// CheckDefinition: the policy keys RabbitMQ 3.10.8 knows and their value rules. Keys
// are grouped by the module that validates them in RabbitMQ (rabbit_policies,
// rabbit_mirror_queue_misc, rabbit_queue_location_validator,
// rabbit_federation_parameters); each group sees only its own keys and reports its
// first problem, and keys no group claims are "not recognised policy settings".
#include <algorithm>
#include <optional>
#include <utility>

#include "policy/internal/pattern.h"
#include "policy/parameters.h"
#include "policy/policy.h"

namespace warren::policy {
namespace {

using Terms = std::vector<std::pair<std::string, json>>;
using GroupCheck = std::optional<std::string> (*)(const Terms& scope);

struct Group {
  std::vector<std::string> keys;
  GroupCheck check;
};

bool IntAtLeast(const json& v, int64_t min) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned()) return min <= 0 || v.get<uint64_t>() >= static_cast<uint64_t>(min);
  return v.get<int64_t>() >= min;
}

bool OneOf(const json& v, std::initializer_list<const char*> options) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  return std::any_of(options.begin(), options.end(), [&](const char* o) { return s == o; });
}

const json* Find(const Terms& scope, const std::string& key) {
  for (const auto& [k, v] : scope)
    if (k == key) return &v;
  return nullptr;
}

std::string Invalid(const json& v, const char* what) { return ErlangTerm(v) + " is not a valid " + what; }

// rabbit_amqqueue:check_max_age: digits, then one of Y M D h m s; the number > 0.
bool ValidMaxAge(const json& v) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 18) return false;
  if (std::stoll(s.substr(0, i)) <= 0) return false;
  const std::string unit = s.substr(i);
  return unit == "Y" || unit == "M" || unit == "D" || unit == "h" || unit == "m" || unit == "s";
}

// rabbit_policies:validate_policy0, one key at a time.
std::optional<std::string> CheckCoreKey(const std::string& k, const json& v) {
  if (k == "alternate-exchange")
    return v.is_string() ? std::nullopt : std::optional(Invalid(v, "alternate exchange name"));
  if (k == "dead-letter-exchange")
    return v.is_string() ? std::nullopt : std::optional(Invalid(v, "dead letter exchange name"));
  if (k == "dead-letter-routing-key")
    return v.is_string() ? std::nullopt : std::optional(Invalid(v, "dead letter routing key"));
  if (k == "dead-letter-strategy")
    return OneOf(v, {"at-most-once", "at-least-once"}) ? std::nullopt
                                                       : std::optional(Invalid(v, "dead letter strategy"));
  if (k == "message-ttl")
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "message TTL"));
  if (k == "expires")
    return IntAtLeast(v, 1) ? std::nullopt : std::optional(Invalid(v, "queue expiry"));
  if (k == "max-length")
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "maximum length"));
  if (k == "max-length-bytes")
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "maximum length in bytes"));
  if (k == "max-in-memory-length" || k == "max-in-memory-bytes")  // RabbitMQ words both alike
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "maximum memory in bytes"));
  if (k == "queue-mode")
    return OneOf(v, {"default", "lazy"}) ? std::nullopt : std::optional(Invalid(v, "queue-mode value"));
  if (k == "queue-version") {
    const bool ok = v.is_number_integer() && (v.get<int64_t>() == 1 || v.get<int64_t>() == 2);
    return ok ? std::nullopt : std::optional(Invalid(v, "queue-version value"));
  }
  if (k == "overflow")
    return OneOf(v, {"drop-head", "reject-publish", "reject-publish-dlx"})
               ? std::nullopt
               : std::optional(Invalid(v, "overflow value"));
  if (k == "delivery-limit")
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "delivery limit"));
  if (k == "max-age")
    return ValidMaxAge(v) ? std::nullopt : std::optional(Invalid(v, "max age"));
  if (k == "queue-leader-locator")
    return OneOf(v, {"client-local", "balanced", "random", "least-leaders"})
               ? std::nullopt
               : std::optional(Invalid(v, "queue leader locator value"));
  if (k == "initial-cluster-size")
    return IntAtLeast(v, 0) ? std::nullopt : std::optional(Invalid(v, "cluster size"));
  if (k == "stream-max-segment-size-bytes") {
    const bool ok = IntAtLeast(v, 0) && v.get<uint64_t>() <= 3'000'000'000ULL;
    return ok ? std::nullopt : std::optional(Invalid(v, "segment size"));
  }
  return std::nullopt;
}

std::optional<std::string> CheckCore(const Terms& scope) {
  for (const auto& [k, v] : scope) {
    if (auto e = CheckCoreKey(k, v)) return e;
  }
  return std::nullopt;
}

std::optional<std::string> CheckHaParams(const json& mode, const json* params) {
  const std::string m = mode.get<std::string>();
  if (m == "all") {
    if (params) return "ha-mode=\"all\" does not take parameters";
    return std::nullopt;
  }
  if (m == "exactly") {
    if (params && params->is_number_integer() && IntAtLeast(*params, 1)) return std::nullopt;
    return "ha-mode=\"exactly\" takes an integer, " + (params ? ErlangTerm(*params) : "none") +
           " given";
  }
  // nodes
  if (!params || !params->is_array())
    return "ha-mode=\"nodes\" takes a list, " + (params ? ErlangTerm(*params) : "none") + " given";
  if (params->empty()) return "ha-mode=\"nodes\" list must be non-empty";
  json invalid = json::array();
  for (const auto& n : *params)
    if (!n.is_string()) invalid.push_back(n);
  if (!invalid.empty())
    return "ha-mode=\"nodes\" takes a list of strings, " + ErlangTerm(invalid) + " was not a string";
  return std::nullopt;
}

// rabbit_mirror_queue_misc:validate_policy.
std::optional<std::string> CheckMirroring(const Terms& scope) {
  const json* mode = Find(scope, "ha-mode");
  if (!mode)
    return "ha-mode must be specified to specify ha-params, ha-sync-mode or "
           "ha-promote-on-shutdown";
  if (!OneOf(*mode, {"all", "exactly", "nodes"})) return Invalid(*mode, "ha-mode value");
  if (auto e = CheckHaParams(*mode, Find(scope, "ha-params"))) return e;
  if (const json* s = Find(scope, "ha-sync-mode"); s && !OneOf(*s, {"automatic", "manual"}))
    return "ha-sync-mode must be \"manual\" or \"automatic\", got " + ErlangTerm(*s);
  if (const json* b = Find(scope, "ha-sync-batch-size"); b && !IntAtLeast(*b, 1))
    return "ha-sync-batch-size takes an integer greater than 0, " + ErlangTerm(*b) + " given";
  if (const json* p = Find(scope, "ha-promote-on-shutdown");
      p && !OneOf(*p, {"always", "when-synced"}))
    return "ha-promote-on-shutdown must be \"always\" or \"when-synced\", got " + ErlangTerm(*p);
  if (const json* p = Find(scope, "ha-promote-on-failure");
      p && !OneOf(*p, {"always", "when-synced"}))
    return "ha-promote-on-failure must be \"always\" or \"when-synced\", got " + ErlangTerm(*p);
  return std::nullopt;
}

// rabbit_queue_location_validator:validate_policy.
std::optional<std::string> CheckLocator(const Terms& scope) {
  const json& v = scope.front().second;
  if (OneOf(v, {"min-masters", "client-local", "random"})) return std::nullopt;
  return ErlangTerm(v) + " invalid queue-master-locator value";
}

// rabbit_federation_parameters:validate_policy.
std::optional<std::string> CheckFederation(const Terms& scope) {
  if (scope.size() >= 2)
    return "cannot specify federation-upstream, federation-upstream-set or "
           "federation-upstream-pattern together";
  const auto& [k, v] = scope.front();
  if (k == "federation-upstream-set")
    return v.is_string() ? std::nullopt
                         : std::optional(Invalid(v, "federation upstream set name"));
  if (k == "federation-upstream")
    return v.is_string() ? std::nullopt : std::optional(Invalid(v, "federation upstream name"));
  if (!v.is_string()) return Invalid(v, "federation upstream pattern name");
  auto compiled = internal::CompilePattern(v.get<std::string>());
  if (compiled.ok()) return std::nullopt;
  return "could not compile pattern " + v.get<std::string>() +
         " to a regular expression. Error: " + compiled.status().message();
}

const std::vector<Group>& PolicyGroups() {
  static const std::vector<Group> kGroups = {
      {{"alternate-exchange", "dead-letter-exchange", "dead-letter-routing-key",
        "dead-letter-strategy", "message-ttl", "expires", "max-length", "max-length-bytes",
        "max-in-memory-length", "max-in-memory-bytes", "queue-mode", "queue-version", "overflow",
        "delivery-limit", "max-age", "stream-max-segment-size-bytes", "queue-leader-locator",
        "initial-cluster-size"},
       CheckCore},
      {{"ha-mode", "ha-params", "ha-sync-mode", "ha-sync-batch-size", "ha-promote-on-shutdown",
        "ha-promote-on-failure"},
       CheckMirroring},
      {{"queue-master-locator"}, CheckLocator},
      {{"federation-upstream", "federation-upstream-set", "federation-upstream-pattern"},
       CheckFederation},
  };
  return kGroups;
}

// Operator policies may only cap these (rabbit_policies' operator_policy_validator).
const std::vector<Group>& OperatorPolicyGroups() {
  static const std::vector<Group> kGroups = {
      {{"expires", "message-ttl", "max-length", "max-length-bytes", "max-in-memory-length",
        "max-in-memory-bytes", "delivery-limit"},
       CheckCore},
  };
  return kGroups;
}

}  // namespace

std::string CheckDefinition(Kind kind, const json& definition) {
  if (!definition.is_object()) return "definition must be a dictionary: " + ErlangTerm(definition);
  if (definition.empty()) return "no policy provided";
  Terms left;
  for (const auto& [k, v] : definition.items()) left.emplace_back(k, v);
  const auto& groups = kind == Kind::kPolicy ? PolicyGroups() : OperatorPolicyGroups();
  for (const Group& g : groups) {
    Terms scope, rest;
    for (auto& t : left) {
      const bool mine = std::find(g.keys.begin(), g.keys.end(), t.first) != g.keys.end();
      (mine ? scope : rest).push_back(t);
    }
    if (scope.empty()) continue;
    if (auto e = g.check(scope)) return *e;
    left = std::move(rest);
  }
  if (left.empty()) return "";
  std::string list;
  for (const auto& [k, v] : left)
    list += (list.empty() ? "{" : ",{") + ErlangTerm(json(k)) + "," + ErlangTerm(v) + "}";
  return "[" + list + "] are not recognised policy settings";
}

}  // namespace warren::policy
