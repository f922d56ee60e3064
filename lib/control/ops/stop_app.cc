#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

Result<json> StopApp(OpContext& ctx, const OpRequest&) {
  WARREN_TRY(ctx.node.StopApp());
  return Done();
}

}  // namespace warren::control::ops
