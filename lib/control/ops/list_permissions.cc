#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{vhost}/permissions; rows {user, configure, write, read} by user.
Result<json> ListPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string vhost = req.param("vhost");
  WARREN_TRY(RequireVhost(ctx, vhost));
  json rows = json::array();
  for (const auto& [key, p] : State(ctx).permissions()) {
    if (key.second != vhost) continue;
    rows.push_back(
        {{"user", key.first}, {"configure", p.configure}, {"write", p.write}, {"read", p.read}});
  }
  return rows;
}

}  // namespace warren::control::ops
