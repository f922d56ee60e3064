#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec JoinCluster() {
  CommandSpec c;
  c.name = "join_cluster";
  c.section = "Cluster";
  c.needs_app = NeedsApp::kStopped;
  c.description =
      "Instructs the node to become a member of the cluster that the specified node is in";
  c.usage = "[--disc|--ram] <existing_cluster_member>";
  c.arg_docs = {{"<existing_cluster_member>", "Existing cluster member (node) to join"}};
  c.flags = {{"disc", 0, false, "", "new node should be a disk one (stores its schema on disk). Highly recommended, used by default."},
             {"ram", 0, false, "", "new node should be a RAM one (stores schema in RAM). Not recommended. Consult clustering doc guides first."}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html", "https://rabbitmq.com/cluster-formation.html"};
  // rabbitmqctl: joining a node to itself is EX_SOFTWARE, an unreachable seed EX_UNAVAILABLE;
  // a name that is no node name is a data error.
  c.errors = {{"bad_input:node", {70}}, {"already_exists:node", {70}},
              {"bad_input:node_name", {65}}};
  c.validate = [](const Invocation& inv) -> Status {
    if (inv.has("disc") && inv.has("ram"))
      return Status::BadInput("Bad argument: give one of --disc and --ram, not both.");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Clustering node " + inv.node + " with " + inv.args[0];
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/node/join-cluster",
                json{{"node", inv.args[0]}, {"type", inv.has("ram") ? "ram" : "disc"}});
  };
  return c;
}

}  // namespace warren::cli::commands
