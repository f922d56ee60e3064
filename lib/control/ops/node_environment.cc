#include "control/ops/ops.h"

namespace warren::control::ops {

// The effective configuration: {"setting.name": "value", ...}.
Result<json> NodeEnvironment(OpContext& ctx, const OpRequest&) { return ctx.node.config(); }

}  // namespace warren::control::ops
