#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: POST /api/exchanges/{vhost}/{name}/publish with {routing_key, properties,
// payload}, as the management API publishes ("amq.default" names the default exchange);
// {"routed": queues reached}.
Result<json> Publish(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  std::string exchange = req.param("name");
  if (exchange == "amq.default") exchange.clear();
  WARREN_ASSIGN_OR_RETURN(std::string payload, BodyString(req, "payload"));
  WARREN_ASSIGN_OR_RETURN(size_t routed,
                          b->Publish(Vhost(req), exchange, BodyStringOr(req, "routing_key", ""),
                                     BodyJson(req, "properties"), std::move(payload)));
  return json{{"routed", routed}};
}

}  // namespace warren::control::ops
