#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec StopApp() {
  CommandSpec c;
  c.name = "stop_app";
  c.section = "Nodes";
  c.description =
      "Stops the broker application (client listeners), leaving the node process and its "
      "control socket running";
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.banner = [](const Invocation& inv) {
    return "Stopping rabbit application on node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "POST", "/api/node/stop_app"); };
  return c;
}

}  // namespace warren::cli::commands
