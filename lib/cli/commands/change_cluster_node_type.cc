#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ChangeClusterNodeType() {
  CommandSpec c;
  c.name = "change_cluster_node_type";
  c.section = "Cluster";
  c.needs_app = NeedsApp::kStopped;
  c.description = "Changes the type of the cluster node";
  c.usage = "<disc | ram>";
  c.arg_docs = {{"<disc | ram>", "New node type"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.validate = [](const Invocation& inv) -> Status {
    if (inv.args[0] != "disc" && inv.args[0] != "ram")
      return Status::BadInput("Bad argument: The node type must be either disc or ram.");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Turning " + inv.node + " into a " + inv.args[0] + " node";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/node/cluster-node-type", json{{"type", inv.args[0]}});
  };
  c.output = [](Invocation& inv, const json& r) {
    if (!r.value("changed", true) && !inv.silent)
      std::printf("Node type is already %s\n", inv.args[0].c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
