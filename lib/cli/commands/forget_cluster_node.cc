#include "base/node_env.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ForgetClusterNode() {
  CommandSpec c;
  c.name = "forget_cluster_node";
  c.section = "Cluster";
  c.description = "Removes a node from the cluster";
  c.usage = "<existing_cluster_member_to_remove>";
  c.arg_docs = {{"<existing_cluster_member_to_remove>", "Cluster node to remove"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.banner = [](const Invocation& inv) {
    return "Removing node " + inv.args[0] + " from the cluster";
  };
  c.flags = {{"offline", 0, false, "",
              "Remove the node at the next boot of a node that is not running (down, or "
              "waiting for a majority the removed node would give)"}};
  // A name that is no node name is a data error, as join_cluster's.
  c.errors = {{"bad_input:node_name", {65}}};
  c.run = [](Invocation& inv) -> Result<json> {
    if (!inv.has("offline"))
      return Call(inv, "POST", "/api/node/forget-cluster-node", json{{"node", inv.args[0]}});
    // Recorded for a later boot, so checked now ("rabbit" means rabbit@<this host>).
    auto node = ParseNodeName(inv.args[0]);
    if (!node.ok()) return Status::BadInput(node.status().message(), "node_name");
    Result<json> r = Call(inv, "POST", "/api/node/forget-cluster-node",
                          json{{"node", node->full()}, {"offline", true}});
    return OrLeaveForNextBoot(inv, std::move(r), &ForgetNodesFile, node->full() + "\n");
  };
  return c;
}

}  // namespace warren::cli::commands
