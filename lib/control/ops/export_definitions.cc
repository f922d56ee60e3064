#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// RabbitMQ's definitions document for the whole node (GET /api/definitions).
Result<json> ExportDefinitions(OpContext& ctx, const OpRequest&) {
  return State(ctx).ToDefinitions();
}

}  // namespace warren::control::ops
