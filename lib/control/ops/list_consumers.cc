#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/consumers/{vhost}; the consumers of the vhost's queues, by queue name.
Result<json> ListConsumers(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  return b->ListConsumers(Vhost(req));
}

}  // namespace warren::control::ops
