#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/bindings/{vhost}; the default exchange's implicit bindings first.
Result<json> ListBindings(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  return b->ListBindings(Vhost(req));
}

}  // namespace warren::control::ops
