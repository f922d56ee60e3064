#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec CheckLocalAlarms() {
  CommandSpec c;
  c.name = "check_local_alarms";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Health check that exits with a non-zero code if the target node reports any local alarms";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  // The json report of a failed check goes to stderr on its own.
  c.errors = {{"unavailable:check_failed_json", {69, true}}};
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " to report any local resource alarms ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json alarms, Call(inv, "GET", "/api/node/alarms"));
    json local = json::array();
    std::string lines;
    for (const auto& a : alarms) {
      if (a.value("node", "") != inv.node) continue;
      local.push_back(AlarmLine(a));
      lines += (lines.empty() ? "" : "\n") + AlarmLine(a);
    }
    if (local.empty()) return local;
    if (inv.formatter == "json") {
      const json report = {{"local", local},
                           {"message", "Node " + inv.node + " reported local alarms"},
                           {"result", "error"}};
      return Status::Unavailable(report.dump(), "check_failed_json");
    }
    // Printed as "Error:\n<lines>" (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
    return Status::Unavailable(lines, "check_failed");
  };
  c.output = [](Invocation& inv, const json&) {
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"result", "ok"}});
    } else {
      std::printf("Node %s reported no local alarms\n", inv.node.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
