#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/connections; every client connection of the node, oldest first.
Result<json> ListConnections(OpContext& ctx, const OpRequest&) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, Engine(ctx));
  return b->ListConnections();
}

}  // namespace warren::control::ops
