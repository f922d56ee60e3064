// Helpers for the ops that list and change the AMQP engine's state (queues, exchanges,
// bindings, connections, channels, consumers, messages). Internal to lib/control.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "broker/broker.h"
#include "control/admin.h"

namespace warren::control::ops {

// The running engine; Unavailable when the app is not running.
Result<broker::Broker*> Engine(OpContext& ctx);
// The engine, once RequireVhost(vhost) passed.
Result<broker::Broker*> EngineFor(OpContext& ctx, const std::string& vhost);
// body[key] when it is a boolean, else false.
bool BodyFlag(const OpRequest& req, const char* key);
// body[key] as JSON arguments (an object), or null when absent.
json BodyJson(const OpRequest& req, const char* key);
// "/api/queues/{vhost}/{name}" for the request's vhost and queue name, encoded.
std::string QueuePath(const OpRequest& req);
// When another member of the cluster holds queue `name` of `vhost`: the operation
// `method` `path` (with `query` and the request's body) as that member answers it.
// Nothing when this node holds it (or nobody does).
std::optional<Result<json>> AtHolder(OpContext& ctx, broker::Broker& b, const OpRequest& req,
                                     std::string_view method, const std::string& path,
                                     const std::map<std::string, std::string>& query = {});
// queue.bind / exchange.bind (or their unbinds) from the body: source, destination,
// destination_type ("queue" | "exchange"), routing_key, arguments.
Result<json> ChangeBinding(OpContext& ctx, const OpRequest& req, bool unbind);

}  // namespace warren::control::ops
