#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec CheckAlarms() {
  CommandSpec c;
  c.name = "check_alarms";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Health check that exits with a non-zero code if the target node reports any alarms, local "
      "or cluster-wide.";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  // A failed check prints its report without the "Error:" line
  // (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
  c.errors = {{"unavailable:check_failed", {69, true}}};
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " to report any local resource alarms ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json alarms, Call(inv, "GET", "/api/node/alarms"));
    if (alarms.empty()) return alarms;
    json local = json::array(), global = json::array();
    std::string lines;
    for (const auto& a : alarms) {
      (a.value("node", "") == inv.node ? local : global).push_back(AlarmLine(a));
      lines += (lines.empty() ? "" : "\n") + AlarmLine(a);
    }
    if (inv.formatter == "json") {
      const json report = {{"global", global},
                           {"local", local},
                           {"message", "Node " + inv.node + " reported alarms"},
                           {"result", "error"}};
      return Status::Unavailable(report.dump(), "check_failed");
    }
    return Status::Unavailable(lines, "check_failed");
  };
  c.output = [](Invocation& inv, const json&) {
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"result", "ok"}});
    } else {
      std::printf("Node %s reported no alarms, local or clusterwide\n", inv.node.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
