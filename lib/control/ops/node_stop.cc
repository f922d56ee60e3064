#include "control/ops/ops.h"
#include "control/ops/util.h"

#include <unistd.h>

namespace warren::control::ops {

// Replies with the pid first, then the node exits; the CLI waits for the pid to go.
Result<json> NodeStop(OpContext& ctx, const OpRequest&) {
  ctx.node.ShutdownAfterReply();
  return json{{"pid", ::getpid()}};
}

}  // namespace warren::control::ops
