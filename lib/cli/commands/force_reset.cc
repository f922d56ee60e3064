#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ForceReset() {
  CommandSpec c;
  c.name = "force_reset";
  c.section = "Cluster";
  c.needs_app = NeedsApp::kStopped;
  c.description = "Forcefully returns a node to its virgin state";
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.banner = [](const Invocation& inv) { return "Forcefully resetting node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/node/reset", nullptr, {{"force", "true"}});
  };
  return c;
}

}  // namespace warren::cli::commands
