#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Paths: /api/vhost-limits (every vhost that has limits) and /api/vhost-limits/{vhost}
// (NotFound(vhost) when it does not exist); rows {vhost, value} by vhost, where value
// is the limits object ({"max-connections": n, "max-queues": n}).
Result<json> ListVhostLimits(OpContext& ctx, const OpRequest& req) {
  const bool one = req.params.count("vhost") > 0;
  if (one) WARREN_TRY(RequireVhost(ctx, req.param("vhost")));
  json rows = json::array();
  for (const auto& [name, v] : State(ctx).vhosts()) {
    if (one && name != req.param("vhost")) continue;
    if (v.limits.is_object() && !v.limits.empty()) rows.push_back({{"vhost", name}, {"value", v.limits}});
  }
  return rows;
}

}  // namespace warren::control::ops
