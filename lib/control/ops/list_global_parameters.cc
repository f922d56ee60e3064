#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/global-parameters; rows {name, value} by name.
Result<json> ListGlobalParameters(OpContext& ctx, const OpRequest&) {
  json rows = json::array();
  for (const auto& [name, value] : State(ctx).global_parameters())
    rows.push_back({{"name", name}, {"value", value}});
  return rows;
}

}  // namespace warren::control::ops
