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
  c.run = [](Invocation& inv) -> Result<json> {
    const bool offline = inv.has("offline");
    Result<json> r = Call(inv, "POST", "/api/node/forget-cluster-node",
                          json{{"node", inv.args[0]}, {"offline", offline}});
    if (!offline) return r;
    return OrLeaveForNextBoot(inv, std::move(r), &ForgetNodesFile, inv.args[0] + "\n");
  };
  return c;
}

}  // namespace warren::cli::commands
