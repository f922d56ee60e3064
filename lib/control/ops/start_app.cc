#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

Result<json> StartApp(OpContext& ctx, const OpRequest&) {
  WARREN_TRY(ctx.node.StartApp());
  return Done();
}

}  // namespace warren::control::ops
