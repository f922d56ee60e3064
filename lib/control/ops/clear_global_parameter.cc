#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/global-parameters/{name}. NotFound "Parameter does not exist" when unset.
Result<json> ClearGlobalParameter(OpContext& ctx, const OpRequest& req) {
  WARREN_TRY(Submit(ctx, {{"op", "global_parameter.clear"}, {"name", req.param("name")}}));
  return Done();
}

}  // namespace warren::control::ops
