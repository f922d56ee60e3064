#include "control/ops/ops.h"

#include <unistd.h>

#include "base/version.h"

namespace warren::control::ops {

// The cheapest question: is the process up, and what is its app doing? Also answers
// server_version, which rabbitmq-diagnostics asks even while the app is stopped.
Result<json> NodeState(OpContext& ctx, const OpRequest&) {
  return json{{"node", ctx.node.env().node.full()},
              {"app", AppStateName(ctx.node.app_state())},
              {"pid", ::getpid()},
              {"version", kVersion},
              {"rabbitmq_version", kRabbitmqCompatVersion}};
}

}  // namespace warren::control::ops
