#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec IsBooting() {
  CommandSpec c;
  c.name = "is_booting";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description = "Checks if the broker is still booting on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " for its boot status ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/state"); };
  c.output = [](Invocation& inv, const json& state) {
    const bool booting = state.value("app", "") == "booting";
    const std::string text =
        ProductName(inv) + " on node " + inv.node +
        (booting ? " is booting"
                 : " is fully booted (check with is_running), stopped or has not started booting "
                   "yet");
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"message", text}, {"result", booting}});
      return 0;
    }
    return PrintMessage(inv, text);
  };
  return c;
}

}  // namespace warren::cli::commands
