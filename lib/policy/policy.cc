// Whole-policy validation, as rabbit_policy:policy_validation/0 describes a policy:
// priority and pattern mandatory, apply-to optional, definition mandatory.
#include "policy/policy.h"

#include "policy/parameters.h"

namespace warren::policy {

std::optional<ApplyTo> ParseApplyTo(std::string_view text) {
  if (text == "all") return ApplyTo::kAll;
  if (text == "queues") return ApplyTo::kQueues;
  if (text == "exchanges") return ApplyTo::kExchanges;
  return std::nullopt;
}

std::string_view ApplyToName(ApplyTo a) {
  switch (a) {
    case ApplyTo::kAll: return "all";
    case ApplyTo::kQueues: return "queues";
    case ApplyTo::kExchanges: return "exchanges";
  }
  return "all";
}

std::string CheckPattern(const json& pattern) {
  return checks::Regex()("pattern", pattern).value_or("");
}

Status ValidatePolicy(Kind kind, const std::string& name, const json& props) {
  // RabbitMQ checks the priority with is_number; warren stores it as an integer.
  const std::vector<Constraint> constraints = {
      {"priority", checks::Integer(), true},
      {"pattern", checks::Regex(), true},
      {"apply-to",
       [](std::string_view, const json& v) -> std::optional<std::string> {
         if (v.is_string() && ParseApplyTo(v.get<std::string>())) return std::nullopt;
         const std::string shown = v.is_string() ? v.get<std::string>() : ErlangTerm(v);
         return "apply-to '" + shown + "' unrecognised; should be 'queues', 'exchanges' or 'all'";
       },
       false},
      {"definition",
       [kind](std::string_view, const json& v) -> std::optional<std::string> {
         std::string e = CheckDefinition(kind, v);
         if (e.empty()) return std::nullopt;
         return e;
       },
       true},
  };
  Errors errors = ValidateProplist(name, constraints, props);
  if (!errors.empty()) return Status::BadInput(ValidationFailed(errors), "policy");
  return Status::OK();
}

}  // namespace warren::policy
