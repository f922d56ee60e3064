#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: PUT /api/queues/{vhost}/{name} with {durable, auto_delete, arguments}.
Result<json> DeclareQueue(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  WARREN_TRY(b->DeclareQueue(Vhost(req), req.param("name"), BodyFlag(req, "durable"),
                             BodyFlag(req, "auto_delete"), BodyJson(req, "arguments")));
  return Done();
}

}  // namespace warren::control::ops
