#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/users/{name}/topic-permissions; rows {vhost, exchange, write, read} by
// vhost, then exchange.
Result<json> ListUserTopicPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string user = req.param("name");
  WARREN_TRY(RequireUser(ctx, user));
  json rows = json::array();
  for (const auto& [key, p] : State(ctx).topic_permissions()) {
    const auto& [u, vhost, exchange] = key;
    if (u != user) continue;
    rows.push_back({{"vhost", vhost}, {"exchange", exchange}, {"write", p.write}, {"read", p.read}});
  }
  return rows;
}

}  // namespace warren::control::ops
