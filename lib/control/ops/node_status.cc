#include "control/ops/ops.h"

namespace warren::control::ops {

Result<json> NodeStatus(OpContext& ctx, const OpRequest&) {
  json facts = ctx.node.facts();
  facts["app"] = AppStateName(ctx.node.app_state());
  json listeners = json::array();
  for (const auto& l : ctx.node.listeners()) {
    listeners.push_back({{"protocol", l.protocol}, {"interface", l.interface},
                         {"port", l.port}, {"purpose", l.purpose}});
  }
  facts["listeners"] = listeners;
  json alarms = json::array();
  for (const auto& a : ctx.node.alarms()) alarms.push_back({{"resource", a.resource}, {"node", a.node}});
  facts["alarms"] = alarms;
  return facts;
}

}  // namespace warren::control::ops
