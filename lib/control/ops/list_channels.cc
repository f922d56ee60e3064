#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/channels; every channel of the node, oldest first.
Result<json> ListChannels(OpContext& ctx, const OpRequest&) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, Engine(ctx));
  return b->ListChannels();
}

}  // namespace warren::control::ops
