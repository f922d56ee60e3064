#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// reset and force_reset; both need the app stopped (checked by the table).
Result<json> ResetNode(OpContext& ctx, const OpRequest& req) {
  bool force = req.param("force") == "true";
  WARREN_TRY(ctx.node.Reset(force));
  return Done();
}

}  // namespace warren::control::ops
