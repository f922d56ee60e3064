#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/queues/{vhost}; the engine's rows (broker.h). Every queue of a warren node
// is local and online, so ?offline=true lists none.
Result<json> ListQueues(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  if (req.param("offline") == "true") return json::array();
  return b->ListQueues(Vhost(req));
}

}  // namespace warren::control::ops
