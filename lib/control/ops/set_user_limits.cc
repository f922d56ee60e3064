#include <string>

#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {
namespace {

bool IsUserLimit(const std::string& key) {
  return key == "max-connections" || key == "max-channels";
}

// RabbitMQ's user-limits validation: an object of optional integer limits, nothing else.
Status ValidateLimits(const json& limits) {
  if (!limits.is_object())
    return Status::BadInput("user-limits must be a JSON object, actually was " + limits.dump());
  json unknown = json::object();
  for (const auto& [key, value] : limits.items())
    if (!IsUserLimit(key)) unknown[key] = value;
  if (!unknown.empty())
    return Status::BadInput("Unrecognised terms " + unknown.dump() + " in user-limits");
  for (const auto& [key, value] : limits.items()) {
    if (!value.is_number_integer())
      return Status::BadInput(key + " should be a number, actually was " + value.dump());
  }
  return Status::OK();
}

}  // namespace

// Body: {"definition": "<JSON text>"} (as rabbitmqctl passes it) or {"definition": {...}}.
// The limits given are merged into the user's current ones; -1 means unlimited.
Result<json> SetUserLimits(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  if (!req.body.is_object() || !req.body.contains("definition"))
    return Status::BadInput("request field 'definition' is missing");
  json limits = req.body["definition"];
  if (limits.is_string()) {
    try {
      limits = json::parse(limits.get<std::string>());
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 &&
                                         close != std::string::npos)
        what = what.substr(close + 2);
      return Status::BadInput("JSON decoding error. Reason: " + what);
    }
  }
  WARREN_TRY(ValidateLimits(limits));
  const meta::User* user = State(ctx).FindUser(name);
  if (user == nullptr) return Status::NotFound(meta::NoSuchUser(name), "user");
  json merged = user->limits.is_object() ? user->limits : json::object();
  for (const auto& [key, value] : limits.items()) merged[key] = value;
  WARREN_TRY(Submit(ctx, {{"op", "user.set_limits"}, {"name", name}, {"limits", merged}}));
  return Done();
}

}  // namespace warren::control::ops
