#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/users/{name}/permissions; rows {vhost, configure, write, read} by vhost.
Result<json> ListUserPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string user = req.param("name");
  WARREN_TRY(RequireUser(ctx, user));
  json rows = json::array();
  for (const auto& [key, p] : State(ctx).permissions()) {
    if (key.first != user) continue;
    rows.push_back(
        {{"vhost", key.second}, {"configure", p.configure}, {"write", p.write}, {"read", p.read}});
  }
  return rows;
}

}  // namespace warren::control::ops
