#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/permissions/{vhost}/{user}. Clearing permissions that are not set succeeds.
Result<json> ClearPermissions(OpContext& ctx, const OpRequest& req) {
  WARREN_TRY(Submit(ctx, {{"op", "permission.clear"},
                          {"user", req.param("user")},
                          {"vhost", req.param("vhost")}}));
  return Done();
}

}  // namespace warren::control::ops
