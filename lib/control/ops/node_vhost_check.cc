#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// {"vhosts": [name, ...], "down": [name, ...]}. In RabbitMQ each vhost has its own
// supervisor and message store that can fail alone. A warren vhost has no runtime of
// its own: it is served whenever the app runs (the table requires it), so no vhost is
// ever down on its own and "down" lists none.
Result<json> CheckVirtualHosts(OpContext& ctx, const OpRequest&) {
  json names = json::array();
  for (const auto& [name, vhost] : State(ctx).vhosts()) names.push_back(name);
  return json{{"vhosts", names}, {"down", json::array()}};
}

}  // namespace warren::control::ops
