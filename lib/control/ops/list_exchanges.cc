#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/exchanges/{vhost}; rows by name, the default exchange's name empty.
Result<json> ListExchanges(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  return b->ListExchanges(Vhost(req));
}

}  // namespace warren::control::ops
