#include "cluster/cluster.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// update_cluster_nodes <seed>: this member checks through the seed that it is still
// in the cluster (docs/clustering.md).
Result<json> UpdateClusterNodes(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string seed, BodyString(req, "seed"));
  cluster::Cluster* c = ctx.node.cluster();
  if (!c) return Status::Unavailable("this node has no inter-node transport");
  WARREN_TRY(c->CheckThrough(seed));
  return Done();
}

}  // namespace warren::control::ops
