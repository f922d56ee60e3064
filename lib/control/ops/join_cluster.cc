#include "base/node_env.h"
#include "cluster/cluster.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// join_cluster [--disc|--ram] <existing_cluster_member>; the app must be stopped (table).
Result<json> JoinCluster(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string seed_text, BodyString(req, "node"));
  // "rabbit" means rabbit@<this host>, as rabbitmqctl reads node names.
  auto seed = ParseNodeName(seed_text);
  if (!seed.ok()) return Status::BadInput(seed.status().message(), "node_name");
  const std::string type = BodyStringOr(req, "type", "disc");
  if (type != "disc" && type != "ram")
    return Status::BadInput("The node type must be either disc or ram.");
  cluster::Cluster* c = ctx.node.cluster();
  if (!c) return Status::Unavailable("this node has no inter-node transport");
  // As rabbitmqctl's join_cluster, the node starts from a blank state once the seed
  // answers: what it held alone is replaced by the cluster's.
  Status s = c->Join(seed->full(), type == "ram" ? cluster::NodeType::kRam : cluster::NodeType::kDisc,
                     [&] { return ctx.node.Reset(/*force=*/true); });
  if (!s.ok() && s.kind() == ErrorKind::kAlreadyExists)
    return Status::AlreadyExists("{:ok, :already_member}", "node");
  WARREN_TRY(s);
  ctx.node.MetadataChanged();
  return Done();
}

}  // namespace warren::control::ops
