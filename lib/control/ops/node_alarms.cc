#include "control/ops/node_info.h"
#include "control/ops/ops.h"

namespace warren::control::ops {

// The resource alarms in effect on this node (memory watermark, free disk limit).
Result<json> NodeAlarms(OpContext& ctx, const OpRequest&) { return AlarmsJson(ctx.node); }

}  // namespace warren::control::ops
