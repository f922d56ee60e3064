#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

Result<json> ListUsers(OpContext& ctx, const OpRequest&) {
  json rows = json::array();
  for (const auto& [name, u] : State(ctx).users()) {
    rows.push_back({{"user", name}, {"tags", u.tags}});
  }
  return rows;
}

}  // namespace warren::control::ops
