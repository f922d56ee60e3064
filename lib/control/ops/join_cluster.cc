#include "cluster/cluster.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// join_cluster [--disc|--ram] <existing_cluster_member>; the app must be stopped (table).
Result<json> JoinCluster(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string seed, BodyString(req, "node"));
  const std::string type = BodyStringOr(req, "type", "disc");
  if (type != "disc" && type != "ram")
    return Status::BadInput("The node type must be either disc or ram.");
  cluster::Cluster* c = ctx.node.cluster();
  if (!c) return Status::Unavailable("this node has no inter-node transport");
  const std::string self = ctx.node.env().node.full();
  if (seed == self)
    return Status::BadInput("Error: cannot cluster node with itself: " + self, "node");
  // As rabbitmqctl's join_cluster, the node starts from a blank state: what it held
  // alone is replaced by the cluster's.
  if (!c->clustered()) WARREN_TRY(ctx.node.Reset(/*force=*/true));
  Status s = c->Join(seed, type == "ram" ? cluster::NodeType::kRam : cluster::NodeType::kDisc);
  if (!s.ok() && s.kind() == ErrorKind::kAlreadyExists)
    return Status::AlreadyExists("{:ok, :already_member}", "node");
  WARREN_TRY(s);
  ctx.node.MetadataChanged();
  return Done();
}

}  // namespace warren::control::ops
