#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: DELETE /api/connections/{name}?reason=...; the name as list_connections shows
// it, or the connection's pid.
Result<json> CloseConnection(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, Engine(ctx));
  WARREN_TRY(b->CloseConnection(req.param("name"), req.param("reason")));
  return Done();
}

}  // namespace warren::control::ops
