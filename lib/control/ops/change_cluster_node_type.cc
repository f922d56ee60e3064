#include "cluster/cluster.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// change_cluster_node_type disc|ram; the app must be stopped (table).
Result<json> ChangeClusterNodeType(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string type, BodyString(req, "type"));
  if (type != "disc" && type != "ram")
    return Status::BadInput("The node type must be either disc or ram.");
  cluster::Cluster* c = ctx.node.cluster();
  if (!c) return Status::Unavailable("this node has no inter-node transport");
  auto changed = c->SetType(type == "ram" ? cluster::NodeType::kRam : cluster::NodeType::kDisc);
  if (!changed.ok() && changed.status().kind() == ErrorKind::kPrecondition)
    return Status::Unavailable(changed.status().message());
  WARREN_TRY(changed.status());
  return json{{"changed", *changed}, {"type", type}};
}

}  // namespace warren::control::ops
