#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhost-limits/{vhost}. As in RabbitMQ, where limits are a runtime
// parameter, clearing limits that are not set (or of a vhost that does not exist) is
// NotFound "Parameter does not exist".
Result<json> ClearVhostLimits(OpContext& ctx, const OpRequest& req) {
  const std::string vhost = req.param("vhost");
  const meta::Vhost* v = State(ctx).FindVhost(vhost);
  if (v == nullptr || !v->limits.is_object() || v->limits.empty())
    return Status::NotFound("Parameter does not exist", "parameter");
  WARREN_TRY(Submit(ctx, {{"op", "vhost.set_limits"}, {"name", vhost}, {"limits", json::object()}}));
  return Done();
}

}  // namespace warren::control::ops
