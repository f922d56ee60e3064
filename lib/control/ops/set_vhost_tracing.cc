#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{name}/tracing; body {"tracing": true|false}. Idempotent.
Result<json> SetVhostTracing(OpContext& ctx, const OpRequest& req) {
  if (!req.body.is_object() || !req.body.contains("tracing") || !req.body["tracing"].is_boolean())
    return Status::BadInput("request field 'tracing' must be true or false");
  WARREN_TRY(Submit(ctx, {{"op", "vhost.set_tracing"},
                          {"name", req.param("name")},
                          {"tracing", req.body["tracing"]}}));
  return Done();
}

}  // namespace warren::control::ops
