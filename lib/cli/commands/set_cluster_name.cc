#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

// The cluster name is the cluster_name global parameter, replicated like the others.
CommandSpec SetClusterName() {
  CommandSpec c;
  c.name = "set_cluster_name";
  c.section = "Cluster";
  c.description = "Sets the cluster name";
  c.usage = "<name>";
  c.arg_docs = {{"<name>", "New cluster name"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.banner = [](const Invocation& inv) { return "Setting cluster name to " + inv.args[0] + " ..."; };
  c.run = [](Invocation& inv) {
    return Call(inv, "PUT", "/api/global-parameters/cluster_name", json{{"value", inv.args[0]}});
  };
  return c;
}

}  // namespace warren::cli::commands
