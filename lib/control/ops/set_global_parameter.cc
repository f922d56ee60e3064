#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/global-parameters/{name}; body {"value": <any JSON>}.
Result<json> SetGlobalParameter(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  if (name.empty()) return Status::BadInput("a global parameter name must not be empty");
  if (!req.body.is_object() || !req.body.contains("value"))
    return Status::BadInput("request field 'value' is missing");
  WARREN_TRY(
      Submit(ctx, {{"op", "global_parameter.set"}, {"name", name}, {"value", req.body["value"]}}));
  return Done();
}

}  // namespace warren::control::ops
