// Component registry and rabbit_parameter_validation's checks; the texts are
// RabbitMQ 3.10's (rabbit_parameter_validation.erl, rabbit_runtime_parameters.erl).
#include "policy/parameters.h"

#include <algorithm>

#include "policy/internal/pattern.h"

namespace warren::policy {
namespace checks {
namespace {

Check TypeCheck(bool (*ok)(const json&), std::string what) {
  return [ok, what](std::string_view key, const json& v) -> std::optional<std::string> {
    if (ok(v)) return std::nullopt;
    return std::string(key) + " should be " + what + ", actually was " + ErlangTerm(v);
  };
}

}  // namespace

Check Number() {
  return TypeCheck([](const json& v) { return v.is_number(); }, "a number");
}
// RabbitMQ's integer check says "number" too.
Check Integer() {
  return TypeCheck([](const json& v) { return v.is_number_integer(); }, "a number");
}
Check Binary() {
  return TypeCheck([](const json& v) { return v.is_string(); }, "binary");
}
Check Boolean() {
  return TypeCheck([](const json& v) { return v.is_boolean(); }, "boolean");
}
Check List() {
  return TypeCheck([](const json& v) { return v.is_array(); }, "list");
}

Check Regex() {
  return [](std::string_view key, const json& v) -> std::optional<std::string> {
    if (!v.is_string()) return std::string(key) + " should be a binary but was " + ErlangTerm(v);
    auto compiled = internal::CompilePattern(v.get<std::string>());
    if (compiled.ok()) return std::nullopt;
    return std::string(key) + " should be regular expression but is invalid: " +
           compiled.status().message();
  };
}

Check Enum(std::vector<std::string> options) {
  return [options](std::string_view key, const json& v) -> std::optional<std::string> {
    if (!v.is_string()) return std::string(key) + " should be binary, actually was " + ErlangTerm(v);
    if (std::find(options.begin(), options.end(), v.get<std::string>()) != options.end())
      return std::nullopt;
    return std::string(key) + " should be one of " + ErlangTerm(json(options)) +
           ", actually was " + ErlangTerm(v);
  };
}

}  // namespace checks

Errors ValidateProplist(std::string_view name, const std::vector<Constraint>& constraints,
                        const json& value) {
  if (!value.is_object() && !value.is_array())
    return {std::string(name) + " not a list " + ErlangTerm(value)};
  // RabbitMQ prepends each result while folding over the constraints, then puts the
  // unrecognised terms in front: the last constraint's error comes first.
  Errors results;
  for (const auto& c : constraints) {
    std::optional<std::string> error;
    if (value.is_object() && value.contains(c.key)) {
      error = c.check(c.key, value[c.key]);
    } else if (c.mandatory) {
      error = "Key \"" + c.key + "\" not found in " + std::string(name);
    }
    if (error) results.push_back(*error);
  }
  std::reverse(results.begin(), results.end());
  std::string rest;
  if (value.is_array()) {
    if (!value.empty()) rest = ErlangTerm(value);
  } else {
    for (const auto& [k, v] : value.items()) {
      const bool known = std::any_of(constraints.begin(), constraints.end(),
                                     [&](const Constraint& c) { return c.key == k; });
      if (known) continue;
      rest += (rest.empty() ? "{" : ",{") + ErlangTerm(json(k)) + "," + ErlangTerm(v) + "}";
    }
    if (!rest.empty()) rest = "[" + rest + "]";
  }
  if (!rest.empty())
    results.insert(results.begin(), "Unrecognised terms " + rest + " in " + std::string(name));
  return results;
}

Errors ValidateVhostLimits(const json& limits) {
  static const std::vector<Constraint> kLimits = {
      {"max-connections", checks::Integer(), false},
      {"max-queues", checks::Integer(), false},
  };
  return ValidateProplist("limits", kLimits, limits);
}

Status ComponentRegistry::Register(const std::string& component, ComponentValidator validator) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!validators_.emplace(component, std::move(validator)).second)
    return Status::AlreadyExists("parameter component " + component + " is already registered");
  return Status::OK();
}

void ComponentRegistry::Unregister(const std::string& component) {
  std::lock_guard<std::mutex> lock(mu_);
  validators_.erase(component);
}

bool ComponentRegistry::Contains(const std::string& component) const {
  std::lock_guard<std::mutex> lock(mu_);
  return validators_.count(component) > 0;
}

std::vector<std::string> ComponentRegistry::Components() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, _] : validators_) out.push_back(name);
  return out;
}

Status ComponentRegistry::Validate(const std::string& vhost, const std::string& component,
                                   const std::string& name, const json& value) const {
  ComponentValidator validator;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = validators_.find(component);
    if (it == validators_.end())
      return Status::BadInput(ValidationFailed({"component " + component + " not found"}));
    validator = it->second;
  }
  Errors errors = validator(vhost, name, value);
  if (!errors.empty()) return Status::BadInput(ValidationFailed(errors));
  return Status::OK();
}

ComponentRegistry& Components() {
  static ComponentRegistry* registry = new ComponentRegistry();
  return *registry;
}

}  // namespace warren::policy
