#include "control/ops/ops.h"

#include <unistd.h>

namespace warren::control::ops {

// The cheapest question: is the process up, and what is its app doing?
Result<json> NodeState(OpContext& ctx, const OpRequest&) {
  return json{{"node", ctx.node.env().node.full()},
              {"app", AppStateName(ctx.node.app_state())},
              {"pid", ::getpid()}};
}

}  // namespace warren::control::ops
