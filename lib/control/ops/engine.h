// Helpers for the ops that list and change the AMQP engine's state (queues, exchanges,
// bindings, connections, channels, consumers, messages). Internal to lib/control.
#pragma once

#include <string>

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
// queue.bind / exchange.bind (or their unbinds) from the body: source, destination,
// destination_type ("queue" | "exchange"), routing_key, arguments.
Result<json> ChangeBinding(OpContext& ctx, const OpRequest& req, bool unbind);

}  // namespace warren::control::ops
