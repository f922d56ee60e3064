// Helpers shared by the admin operations: reading request fields and submitting
// metadata commands. Internal to lib/control.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "control/admin.h"
#include "meta/state.h"
#include "meta/store.h"

namespace warren::control::ops {

// body[key] as a string; BadInput naming the field when missing or not a string.
Result<std::string> BodyString(const OpRequest& req, const char* key);
// body[key] as a string, or `fallback` when absent.
std::string BodyStringOr(const OpRequest& req, const char* key, std::string fallback);
// The vhost an op targets: params["vhost"], defaulting to "/".
std::string Vhost(const OpRequest& req);

// Submits one command to the node's metadata store and returns once it is applied
// here and durable. Inside a fiber (the control socket runs each request on one) the
// node's loop goes on serving clients meanwhile, during a cluster member's Raft round
// trip or a standalone node's fdatasync; elsewhere the call holds the loop until the
// commit, as Store::Submit does.
Status Submit(OpContext& ctx, const json& command);
// Several commands as one all-or-nothing change, waiting as Submit does.
Status SubmitBatch(OpContext& ctx, std::vector<json> commands);
inline const meta::State& State(OpContext& ctx) { return ctx.node.store().state(); }

// NotFound(subject vhost) unless `vhost` exists.
Status RequireVhost(OpContext& ctx, const std::string& vhost);
// NotFound(subject user) unless `user` exists.
Status RequireUser(OpContext& ctx, const std::string& user);

// {} : the reply of an operation that only succeeds or fails.
inline json Done() { return json::object(); }

}  // namespace warren::control::ops
