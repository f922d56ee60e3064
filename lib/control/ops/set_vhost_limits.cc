#include "control/ops/ops.h"
#include "control/ops/util.h"
#include "policy/parameters.h"

namespace warren::control::ops {

// Path: /api/vhost-limits/{vhost}; body {"value": {"max-connections": n, "max-queues": n}}
// replaces the vhost's limits. The limits are validated first (BadInput with
// RabbitMQ's "Validation failed" text), then the vhost must exist.
Result<json> SetVhostLimits(OpContext& ctx, const OpRequest& req) {
  if (!req.body.is_object() || !req.body.contains("value"))
    return Status::BadInput("request field 'value' is missing");
  const json& limits = req.body["value"];
  policy::Errors errors = policy::ValidateVhostLimits(limits);
  if (!errors.empty()) return Status::BadInput(policy::ValidationFailed(errors));
  WARREN_TRY(Submit(ctx, {{"op", "vhost.set_limits"}, {"name", req.param("vhost")}, {"limits", limits}}));
  return Done();
}

}  // namespace warren::control::ops
