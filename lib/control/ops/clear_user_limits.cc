#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/user-limits/{name}/{limit}; `limit` is max-connections, max-channels or
// "all".
Result<json> ClearUserLimits(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  const std::string limit = req.param("limit");
  if (limit != "all" && limit != "max-connections" && limit != "max-channels") {
    return Status::BadInput("limit type '" + limit +
                            "' is not one of max-connections, max-channels or all");
  }
  const meta::User* user = State(ctx).FindUser(name);
  if (user == nullptr) return Status::NotFound(meta::NoSuchUser(name), "user");
  json limits = json::object();
  if (limit != "all" && user->limits.is_object()) {
    limits = user->limits;
    limits.erase(limit);
  }
  WARREN_TRY(Submit(ctx, {{"op", "user.set_limits"}, {"name", name}, {"limits", limits}}));
  return Done();
}

}  // namespace warren::control::ops
