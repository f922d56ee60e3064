#include "control/ops/engine.h"

#include "cluster/cluster.h"
#include "control/ops/util.h"
#include "control/protocol.h"
#include "http/message.h"

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

std::string QueuePath(const OpRequest& req) {
  return "/api/queues/" + http::PercentEncode(Vhost(req)) + "/" + http::PercentEncode(req.param("name"));
}

std::optional<Result<json>> AtHolder(OpContext& ctx, broker::Broker& b, const OpRequest& req,
                                     std::string_view method, const std::string& path,
                                     const std::map<std::string, std::string>& query) {
  const std::string vhost = Vhost(req), name = req.param("name");
  const std::string holder = b.QueueHolder(vhost, name);
  cluster::Cluster* c = ctx.node.cluster();
  if (holder.empty() || !c) return std::nullopt;
  json forwarded{{"op", "control"}, {"method", std::string(method)}, {"path", path}};
  if (!query.empty()) forwarded["query"] = query;
  if (!req.body.is_null()) forwarded["body"] = req.body;
  Result<json> r = c->CallMember(holder, forwarded, std::chrono::seconds(10));
  if (!r.ok())
    return Status::Unavailable("queue '" + name + "' in vhost '" + vhost + "' is held by node " +
                               holder + ", which did not answer: " + r.status().message());
  if (!r->contains("status") || !(*r)["status"].is_number_integer())
    return Status::Internal("node " + holder + " sent a reply without a status");
  return ResultFromReply((*r)["status"].get<int>(), r->contains("body") ? (*r)["body"] : json());
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
