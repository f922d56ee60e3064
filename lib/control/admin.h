// The admin service (DESIGN decision 1): every operator action is one Operation in one
// declarative table; the control socket and the management API both dispatch from it.
// An op is glue: it reads its parameters, calls the node / store, and returns JSON or
// a Status. Runs on the node's control thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "control/node_api.h"

namespace warren::control {

using json = nlohmann::json;

// Which app states an operation may run in; others get rabbitmqctl's
// "this command requires the 'rabbit' app to be running/stopped" (Precondition).
// kNotRunning: stopped, or booting and not yet started (a clustered node waiting for
// a majority).
enum class AppNeed { kAny, kRunning, kStopped, kNotRunning };
enum class AppState;
// Precondition in rabbitmqctl's words unless an app in `state` meets `need`.
Status CheckAppNeed(AppNeed need, AppState state);

// The user tag the management door requires (the control socket is trusted: the
// caller already proved it is the node's own user).
enum class Tag { kNone, kMonitoring, kPolicymaker, kManagement, kAdministrator };

struct OpRequest {
  std::map<std::string, std::string> params;  // from the path pattern and the query
  json body;                                  // null when none was sent
  // The named parameter, or `fallback`.
  std::string param(const std::string& key, const std::string& fallback = "") const {
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
  }
};

struct OpContext {
  NodeApi& node;
};

using OpHandler = Result<json> (*)(OpContext& ctx, const OpRequest& req);

struct Operation {
  std::string_view name;    // "add_user"
  std::string_view method;  // "PUT"
  std::string_view path;    // "/api/users/{name}"; {x} captures one percent-decoded segment
  Tag tag;
  AppNeed app;
  OpHandler handler;
};

// Every operation (lib/control/ops/all.cc).
const std::vector<Operation>& Operations();

struct Dispatched {
  int http_status;
  json body;
};

// Runs the operation called `name` (plugins call the admin service this way) with
// `params` as its path and query parameters, after the same AppNeed check.
Result<json> Call(NodeApi& node, std::string_view name,
                  const std::map<std::string, std::string>& params, const json& body);

// What this node tells its cluster peers for their cluster_status: app state, listeners,
// alarms, versions, and the members it knows (lib/control/ops/cluster_status.cc).
json PeerFacts(NodeApi& node);

// Finds the operation for `method` + `raw_path`, checks its AppNeed, runs it.
// Unknown routes answer 404 / 405 as JSON error bodies.
Dispatched Dispatch(NodeApi& node, std::string_view method, std::string_view raw_path,
                    const std::map<std::string, std::string>& query, const json& body);

}  // namespace warren::control
