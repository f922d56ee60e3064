#include <algorithm>
#include <tuple>

#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Paths: /api/parameters, /api/parameters/{component}, /api/parameters/{component}/{vhost};
// the vhost may also come as ?vhost= (NotFound(vhost) when it does not exist). Rows
// {vhost, component, name, value} by vhost, component, name. A vhost's limits show as
// the parameter vhost-limits/limits, as RabbitMQ stores them.
Result<json> ListParameters(OpContext& ctx, const OpRequest& req) {
  const bool one_vhost = req.params.count("vhost") > 0;
  const bool one_component = req.params.count("component") > 0;
  const std::string vhost = req.param("vhost");
  const std::string component = req.param("component");
  if (one_vhost) WARREN_TRY(RequireVhost(ctx, vhost));
  auto wanted = [&](const std::string& v, const std::string& c) {
    return (!one_vhost || v == vhost) && (!one_component || c == component);
  };
  json rows = json::array();
  for (const auto& [key, p] : State(ctx).parameters()) {
    if (!wanted(p.vhost, p.component)) continue;
    rows.push_back(
        {{"vhost", p.vhost}, {"component", p.component}, {"name", p.name}, {"value", p.value}});
  }
  for (const auto& [name, v] : State(ctx).vhosts()) {
    if (!wanted(name, "vhost-limits") || !v.limits.is_object() || v.limits.empty()) continue;
    rows.push_back(
        {{"vhost", name}, {"component", "vhost-limits"}, {"name", "limits"}, {"value", v.limits}});
  }
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    return std::tie(a["vhost"], a["component"], a["name"]) <
           std::tie(b["vhost"], b["component"], b["name"]);
  });
  return rows;
}

}  // namespace warren::control::ops
