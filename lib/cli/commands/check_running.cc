#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec CheckRunning() {
  CommandSpec c;
  c.name = "check_running";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description =
      "Health check that exits with a non-zero code if the broker app on the target node is not "
      "running";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.banner = [](const Invocation& inv) {
    return "Checking if " + ProductName(inv) + " is running on node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json state, Call(inv, "GET", "/api/node/state"));
    // Only a fully booted app passes: a node still booting does not.
    if (state.value("app", "") != "running") {
      return Status::Unavailable(ProductName(inv) + " on node " + inv.node +
                                     " is not running or has not fully booted yet (check with "
                                     "is_booting)",
                                 "check_failed");
    }
    return state;
  };
  c.output = [](Invocation& inv, const json&) {
    return PrintMessage(inv, ProductName(inv) + " on node " + inv.node +
                                 " is fully booted and running");
  };
  return c;
}

}  // namespace warren::cli::commands
