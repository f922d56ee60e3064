#include "base/node_env.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"
#include "store/record_log.h"

namespace warren::control::ops {

// force_boot: this node's next boot goes ahead without a majority of its cluster
// (docs/clustering.md, "Recovering a cluster that lost its majority").
Result<json> ForceBoot(OpContext& ctx, const OpRequest&) {
  WARREN_TRY(store::WriteFileAtomically(ForceBootFile(ctx.node.env().data_dir), ""));
  return Done();
}

}  // namespace warren::control::ops
