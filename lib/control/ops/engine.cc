#include "control/ops/engine.h"

#include "control/ops/util.h"

namespace warren::control::ops {

Result<broker::Broker*> Engine(OpContext& ctx) {
  broker::Broker* b = ctx.node.broker();
  if (!b) return Status::Unavailable("the AMQP engine is not running");
  return b;
}

Result<broker::Broker*> EngineFor(OpContext& ctx, const std::string& vhost) {
  WARREN_TRY(RequireVhost(ctx, vhost));
  return Engine(ctx);
}

bool BodyFlag(const OpRequest& req, const char* key) {
  return req.body.is_object() && req.body.contains(key) && req.body[key].is_boolean() &&
         req.body[key].get<bool>();
}

json BodyJson(const OpRequest& req, const char* key) {
  if (!req.body.is_object() || !req.body.contains(key)) return nullptr;
  return req.body[key];
}

Result<json> ChangeBinding(OpContext& ctx, const OpRequest& req, bool unbind) {
  const std::string vhost = Vhost(req);
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, vhost));
  WARREN_ASSIGN_OR_RETURN(std::string source, BodyString(req, "source"));
  WARREN_ASSIGN_OR_RETURN(std::string destination, BodyString(req, "destination"));
  const std::string type = BodyStringOr(req, "destination_type", "queue");
  if (type != "queue" && type != "exchange")
    return Status::BadInput("destination type must be queue or exchange, not '" + type + "'");
  WARREN_TRY(b->Bind(vhost, source, destination, type == "exchange",
                     BodyStringOr(req, "routing_key", ""), BodyJson(req, "arguments"), unbind));
  return Done();
}

}  // namespace warren::control::ops
