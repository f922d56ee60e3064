#include "control/ops/policy_util.h"

#include <algorithm>
#include <limits>

#include "control/ops/util.h"
#include "policy/parameters.h"

namespace warren::control::ops {
namespace {

const std::map<std::pair<std::string, std::string>, meta::Policy>& Stored(OpContext& ctx,
                                                                          policy::Kind kind) {
  return kind == policy::Kind::kPolicy ? State(ctx).policies() : State(ctx).operator_policies();
}

}  // namespace

Result<json> ListPolicyRows(OpContext& ctx, const OpRequest& req, policy::Kind kind) {
  const bool one = req.params.count("vhost") > 0;
  const std::string vhost = req.param("vhost");
  if (one) WARREN_TRY(RequireVhost(ctx, vhost));
  std::vector<const meta::Policy*> found;
  for (const auto& [key, p] : Stored(ctx, kind)) {
    if (!one || key.first == vhost) found.push_back(&p);
  }
  // RabbitMQ lists policies by ascending priority (rabbit_policy:sort_by_priority).
  std::stable_sort(found.begin(), found.end(), [](const meta::Policy* a, const meta::Policy* b) {
    if (a->vhost != b->vhost) return a->vhost < b->vhost;
    return a->priority < b->priority;
  });
  json rows = json::array();
  for (const meta::Policy* p : found) {
    rows.push_back({{"vhost", p->vhost},
                    {"name", p->name},
                    {"pattern", p->pattern},
                    {"apply-to", p->apply_to},
                    {"definition", p->definition},
                    {"priority", p->priority}});
  }
  return rows;
}

Result<json> PutPolicy(OpContext& ctx, const OpRequest& req, policy::Kind kind) {
  const std::string vhost = req.param("vhost");
  const std::string name = req.param("name");
  if (!req.body.is_object()) return Status::BadInput("the request body must be a JSON object");
  json props = json::object();
  for (const char* key : {"pattern", "definition", "priority", "apply-to"}) {
    if (req.body.contains(key) && !req.body[key].is_null()) props[key] = req.body[key];
  }
  if (!props.contains("priority")) props["priority"] = 0;
  if (!props.contains("apply-to")) props["apply-to"] = "all";
  WARREN_TRY(policy::ValidatePolicy(kind, name, props));
  // Validated as an integer; the state keeps it as an int.
  const json& priority = props["priority"];
  const bool fits = priority.is_number_unsigned()
                        ? priority.get<uint64_t>() <= uint64_t(std::numeric_limits<int>::max())
                        : priority.get<int64_t>() <= std::numeric_limits<int>::max() &&
                              priority.get<int64_t>() >= std::numeric_limits<int>::min();
  if (!fits) {
    return Status::BadInput(
        policy::ValidationFailed({"priority " + priority.dump() + " is out of range"}), "policy");
  }
  WARREN_TRY(Submit(ctx, {{"op", kind == policy::Kind::kPolicy ? "policy.set" : "operator_policy.set"},
                          {"vhost", vhost},
                          {"name", name},
                          {"pattern", props["pattern"]},
                          {"apply-to", props["apply-to"]},
                          {"priority", priority},
                          {"definition", props["definition"]}}));
  return Done();
}

Result<json> DeletePolicy(OpContext& ctx, const OpRequest& req, policy::Kind kind) {
  WARREN_TRY(Submit(
      ctx, {{"op", kind == policy::Kind::kPolicy ? "policy.clear" : "operator_policy.clear"},
            {"vhost", req.param("vhost")},
            {"name", req.param("name")}}));
  return Done();
}

}  // namespace warren::control::ops
