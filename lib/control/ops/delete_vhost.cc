#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{name}. Removes the vhost with its permissions, policies,
// parameters and limits; NotFound(vhost) when there is no such vhost.
Result<json> DeleteVhost(OpContext& ctx, const OpRequest& req) {
  WARREN_TRY(Submit(ctx, {{"op", "vhost.delete"}, {"name", req.param("name")}}));
  return Done();
}

}  // namespace warren::control::ops
