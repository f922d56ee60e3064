#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: PUT /api/exchanges/{vhost}/{name} with {type, durable, auto_delete, internal,
// arguments}.
Result<json> DeclareExchange(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  WARREN_ASSIGN_OR_RETURN(std::string type, BodyString(req, "type"));
  WARREN_TRY(b->DeclareExchange(Vhost(req), req.param("name"), type, BodyFlag(req, "durable"),
                                BodyFlag(req, "auto_delete"), BodyFlag(req, "internal"),
                                BodyJson(req, "arguments")));
  return Done();
}

}  // namespace warren::control::ops
