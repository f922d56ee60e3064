#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec Reset() {
  CommandSpec c;
  c.name = "reset";
  c.section = "Nodes";
  c.needs_app = NeedsApp::kStopped;
  c.description = "Instructs a node to leave the cluster and return to its virgin state";
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.banner = [](const Invocation& inv) { return "Resetting node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "POST", "/api/node/reset"); };
  return c;
}

}  // namespace warren::cli::commands
