#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: POST /api/bindings/{vhost}/unbind, with bind's body.
Result<json> Unbind(OpContext& ctx, const OpRequest& req) { return ChangeBinding(ctx, req, true); }

}  // namespace warren::control::ops
