#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: POST /api/connections/close with {reason, vhost (absent: every vhost), limit,
// per_connection_delay (ms)}; {"closed": n}.
Result<json> CloseAllConnections(OpContext& ctx, const OpRequest& req) {
  const std::string vhost = BodyStringOr(req, "vhost", "");
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b,
                          vhost.empty() ? Engine(ctx) : EngineFor(ctx, vhost));
  const json limit = BodyJson(req, "limit"), delay = BodyJson(req, "per_connection_delay");
  if ((!limit.is_null() && !limit.is_number_unsigned()) ||
      (!delay.is_null() && !delay.is_number_unsigned()))
    return Status::BadInput("limit and per_connection_delay must be non-negative integers");
  const size_t n = b->CloseAllConnections(vhost, limit.is_null() ? 0 : limit.get<size_t>(),
                                          delay.is_null() ? 0 : delay.get<uint32_t>(),
                                          BodyStringOr(req, "reason", ""));
  return json{{"closed", n}};
}

}  // namespace warren::control::ops
