#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: POST /api/bindings/{vhost} with {source, destination, destination_type,
// routing_key, arguments}.
Result<json> Bind(OpContext& ctx, const OpRequest& req) { return ChangeBinding(ctx, req, false); }

}  // namespace warren::control::ops
