#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: DELETE /api/queues/{vhost}/{name}/contents; {"purged": n}.
Result<json> PurgeQueue(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  if (auto there = AtHolder(ctx, *b, req, "DELETE", QueuePath(req) + "/contents")) return *there;
  WARREN_ASSIGN_OR_RETURN(size_t n, b->PurgeQueue(Vhost(req), req.param("name")));
  return json{{"purged", n}};
}

}  // namespace warren::control::ops
