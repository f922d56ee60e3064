// Runtime parameters: the registry of parameter components (plugins register theirs,
// such as federation-upstream or shovel, when they start), the checks RabbitMQ's
// rabbit_parameter_validation offers component validators, vhost limits, and the
// Erlang-term rendering RabbitMQ's error texts use ("<<\"x\">>", "[{<<\"k\">>,1}]").
// ComponentRegistry is thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::policy {

using json = nlohmann::json;

// Problems found in a value, each worded as RabbitMQ words it. Empty = valid.
using Errors = std::vector<std::string>;

// `value` as Erlang's ~p prints the term RabbitMQ decodes from it: strings as
// <<"x">>, arrays as [..], objects as #{<<"k">> => v}, null/true/false as atoms.
std::string ErlangTerm(const json& value);

// "Validation failed\n\n<e1>\n<e2>\n..." (rabbit_runtime_parameters:format_error).
std::string ValidationFailed(const Errors& errors);

// One check of one value; returns what is wrong with `value` (named `key`), or nullopt.
using Check = std::function<std::optional<std::string>(std::string_view key, const json& value)>;

// rabbit_parameter_validation's checks.
namespace checks {
Check Number();   // "<key> should be a number, actually was <term>"
Check Integer();  // same text, integers only
Check Binary();   // "<key> should be binary, actually was <term>"
Check Boolean();  // "<key> should be boolean, actually was <term>"
Check List();     // "<key> should be list, actually was <term>"
Check Regex();    // "<key> should be regular expression but is invalid: ..."
Check Enum(std::vector<std::string> options);  // "<key> should be one of [...], actually was ..."
}  // namespace checks

struct Constraint {
  std::string key;
  Check check;
  bool mandatory = false;
};

// rabbit_parameter_validation:proplist: checks each constrained key of the object
// `value` (a missing mandatory key is "Key \"k\" not found in <name>"), then reports
// keys nobody constrained ("Unrecognised terms [...] in <name>"). The errors come in
// RabbitMQ's order: unrecognised terms first, then the constraints last to first.
Errors ValidateProplist(std::string_view name, const std::vector<Constraint>& constraints,
                        const json& value);

// Vhost limits: an object with optional integer "max-connections" and "max-queues"
// (a negative value means no limit).
Errors ValidateVhostLimits(const json& limits);

// Validates the value of one parameter of a component: (vhost, name, value) -> errors.
using ComponentValidator =
    std::function<Errors(const std::string& vhost, const std::string& name, const json& value)>;

class ComponentRegistry {
 public:
  // AlreadyExists when `component` is registered already.
  Status Register(const std::string& component, ComponentValidator validator);
  // No-op when `component` is not registered.
  void Unregister(const std::string& component);
  bool Contains(const std::string& component) const;
  std::vector<std::string> Components() const;

  // OK when `component` is registered and accepts the value; otherwise
  // BadInput(ValidationFailed(...)): "component <x> not found" for an unknown one.
  Status Validate(const std::string& vhost, const std::string& component,
                  const std::string& name, const json& value) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, ComponentValidator> validators_;
};

// The components of this process's node; plugins register theirs when they start.
// RabbitMQ's own "vhost-limits", "policy" and "operator_policy" are not in it: they
// are stored elsewhere (vhost records, policies) and handled by the admin operations.
ComponentRegistry& Components();

}  // namespace warren::policy
