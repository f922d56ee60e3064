#include "control/ops/ops.h"
#include "control/ops/util.h"
#include "policy/parameters.h"

namespace warren::control::ops {

// Path: /api/parameters/{component}/{vhost}/{name}; body {"value": <any JSON>}. The
// component validates the value (BadInput "Validation failed\n\ncomponent x not found"
// when no plugin registered it), then the vhost must exist. vhost-limits/limits sets
// the vhost's limits; policies have operations of their own.
Result<json> SetParameter(OpContext& ctx, const OpRequest& req) {
  const std::string component = req.param("component");
  const std::string vhost = req.param("vhost");
  const std::string name = req.param("name");
  if (component == "policy") return Status::BadInput("policies may not be set using this method");
  if (component == "operator_policy")
    return Status::BadInput("operator policies may not be set using this method");
  if (!req.body.is_object() || !req.body.contains("value"))
    return Status::BadInput("request field 'value' is missing");
  const json& value = req.body["value"];
  if (component == "vhost-limits") {
    policy::Errors errors = name == "limits"
                                ? policy::ValidateVhostLimits(value)
                                : policy::Errors{"name not recognised: " + policy::ErlangTerm(name)};
    if (!errors.empty()) return Status::BadInput(policy::ValidationFailed(errors));
    WARREN_TRY(Submit(ctx, {{"op", "vhost.set_limits"}, {"name", vhost}, {"limits", value}}));
    return Done();
  }
  WARREN_TRY(policy::Components().Validate(vhost, component, name, value));
  WARREN_TRY(Submit(ctx, {{"op", "parameter.set"},
                          {"vhost", vhost},
                          {"component", component},
                          {"name", name},
                          {"value", value}}));
  return Done();
}

}  // namespace warren::control::ops
