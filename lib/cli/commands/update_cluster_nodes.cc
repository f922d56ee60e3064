#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec UpdateClusterNodes() {
  CommandSpec c;
  c.name = "update_cluster_nodes";
  c.section = "Cluster";
  c.needs_app = NeedsApp::kStopped;
  c.description =
      "Instructs a cluster member node to sync the list of known cluster members from <seed_node>";
  c.usage = "<seed_node>";
  c.arg_docs = {{"<seed_node>", "Cluster node to seed known cluster members from"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.banner = [](const Invocation& inv) {
    return "Will seed " + inv.node + " from " + inv.args[0] + " on next start";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/node/update-cluster-nodes", json{{"seed", inv.args[0]}});
  };
  return c;
}

}  // namespace warren::cli::commands
