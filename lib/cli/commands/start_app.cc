#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec StartApp() {
  CommandSpec c;
  c.name = "start_app";
  c.section = "Nodes";
  c.description = "Starts the broker application (client listeners) on a running node";
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.banner = [](const Invocation& inv) { return "Starting node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "POST", "/api/node/start_app"); };
  return c;
}

}  // namespace warren::cli::commands
