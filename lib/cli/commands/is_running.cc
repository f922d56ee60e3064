#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec IsRunning() {
  CommandSpec c;
  c.name = "is_running";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description = "Checks if the broker is fully booted and running on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.banner = [](const Invocation& inv) { return "Asking node " + inv.node + " for its status ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/state"); };
  // Not a health check: a stopped app is reported, with exit code 0, as rabbitmq-diagnostics
  // does (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
  c.output = [](Invocation& inv, const json& state) {
    const bool running = state.value("app", "") == "running";
    const std::string text =
        ProductName(inv) + " on node " + inv.node +
        (running ? " is fully booted and running"
                 : " is not running or has not fully booted yet (check with is_booting)");
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"message", text}, {"result", running}});
      return 0;
    }
    return PrintMessage(inv, text);
  };
  return c;
}

}  // namespace warren::cli::commands
