#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{vhost}/topic-permissions; rows {user, exchange, write, read} by
// user, then exchange.
Result<json> ListTopicPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string vhost = req.param("vhost");
  WARREN_TRY(RequireVhost(ctx, vhost));
  json rows = json::array();
  for (const auto& [key, p] : State(ctx).topic_permissions()) {
    const auto& [user, v, exchange] = key;
    if (v != vhost) continue;
    rows.push_back({{"user", user}, {"exchange", exchange}, {"write", p.write}, {"read", p.read}});
  }
  return rows;
}

}  // namespace warren::control::ops
