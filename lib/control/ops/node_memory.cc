#include "control/ops/ops.h"

namespace warren::control::ops {

// {"breakdown": [[category, bytes], ...], "total": {"rss", "allocated", "used"},
//  "strategy": "rss"}: the categories in the node's order, for memory_breakdown.
Result<json> NodeMemory(OpContext& ctx, const OpRequest&) {
  const json f = ctx.node.facts();
  const json& mem = f["memory"];
  return json{{"breakdown", mem["breakdown"]},
              {"strategy", mem["strategy"]},
              {"total", {{"rss", mem["rss"]}, {"allocated", mem["allocated"]}, {"used", mem["used"]}}}};
}

}  // namespace warren::control::ops
