#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: DELETE /api/exchanges/{vhost}/{name}?if-unused=true.
Result<json> DeleteExchange(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  WARREN_TRY(b->DeleteExchange(Vhost(req), req.param("name"), req.param("if-unused") == "true"));
  return Done();
}

}  // namespace warren::control::ops
