#include "control/ops/node_info.h"
#include "control/ops/ops.h"

namespace warren::control::ops {

// The client listeners that are bound right now (none while the app is stopped).
Result<json> NodeListeners(OpContext& ctx, const OpRequest&) { return ListenersJson(ctx.node); }

}  // namespace warren::control::ops
