#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts; rows {name, description, tags, default_queue_type, tracing,
// cluster_state} by name. default_queue_type is "undefined" when none was set, and
// cluster_state maps each node to "running", as RabbitMQ reports them.
Result<json> ListVhosts(OpContext& ctx, const OpRequest&) {
  const std::string node = ctx.node.env().node.full();
  json rows = json::array();
  for (const auto& [name, v] : State(ctx).vhosts()) {
    rows.push_back({{"name", name},
                    {"description", v.description},
                    {"tags", v.tags},
                    {"default_queue_type",
                     v.default_queue_type.empty() ? "undefined" : v.default_queue_type},
                    {"tracing", v.tracing},
                    {"cluster_state", {{node, "running"}}}});
  }
  return rows;
}

}  // namespace warren::control::ops
