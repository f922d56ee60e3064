#include "base/node_env.h"
#include "cluster/cluster.h"
#include "control/admin.h"
#include "store/record_log.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// forget_cluster_node <node>: removes a stopped member from the cluster.
Result<json> ForgetClusterNode(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string node, BodyString(req, "node"));
  if (req.body.value("offline", false)) {
    // --offline: this node's app is not running (it may be waiting for a majority that
    // the forgotten node would have given); its next boot removes the node.
    WARREN_TRY(CheckAppNeed(AppNeed::kNotRunning, ctx.node.app_state()));
    auto parsed = ParseNodeName(node);
    if (!parsed.ok()) return Status::BadInput(parsed.status().message(), "node_name");
    node = parsed->full();
    std::string list;
    if (auto old = store::ReadWholeFile(ForgetNodesFile(ctx.node.env().data_dir)); old.ok()) list = *old;
    WARREN_TRY(store::WriteFileAtomically(ForgetNodesFile(ctx.node.env().data_dir), list + node + "\n"));
    return Done();
  }
  cluster::Cluster* c = ctx.node.cluster();
  if (!c || !c->clustered())
    return Status::Unavailable("{:not_a_cluster_node, 'The node selected is not in the cluster.'}");
  Status s = c->Forget(node);
  // rabbitmqctl answers every refusal here with EX_UNAVAILABLE.
  if (!s.ok() && s.kind() != ErrorKind::kUnavailable && s.kind() != ErrorKind::kTimeout)
    return Status::Unavailable(s.message(), "node");
  WARREN_TRY(s);
  return Done();
}

}  // namespace warren::control::ops
