#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Query "user": that user's limits as an object ({} when none). Without it: every user
// that has limits, as [{"user": ..., "limits": {...}}] sorted by name.
Result<json> ListUserLimits(OpContext& ctx, const OpRequest& req) {
  if (req.params.count("user")) {
    const std::string name = req.param("user");
    const meta::User* user = State(ctx).FindUser(name);
    if (user == nullptr) return Status::NotFound(meta::NoSuchUser(name), "user");
    return user->limits.is_object() ? user->limits : json::object();
  }
  json rows = json::array();
  for (const auto& [name, u] : State(ctx).users()) {
    if (u.limits.is_object() && !u.limits.empty())
      rows.push_back({{"user", name}, {"limits", u.limits}});
  }
  return rows;
}

}  // namespace warren::control::ops
