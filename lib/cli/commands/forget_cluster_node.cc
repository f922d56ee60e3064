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
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/node/forget-cluster-node", json{{"node", inv.args[0]}});
  };
  return c;
}

}  // namespace warren::cli::commands
