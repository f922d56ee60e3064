#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec Alarms() {
  CommandSpec c;
  c.name = "alarms";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description = "Lists resource alarms (local or cluster-wide) in effect on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/alarms.html"};
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " to report any known resource alarms ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/alarms"); };
  // Not a health check: alarms are listed with exit code 0.
  c.output = [](Invocation& inv, const json& alarms) {
    json local = json::array(), global = json::array();
    for (const auto& a : alarms) (a.value("node", "") == inv.node ? local : global).push_back(AlarmLine(a));
    if (inv.formatter == "json") {
      if (alarms.empty()) {
        PrintJsonLine(json{{"alarms", json::array()}, {"node", inv.node}, {"result", "ok"}});
      } else {
        PrintJsonLine(json{{"global", global},
                           {"local", local},
                           {"message", "Node " + inv.node + " reported alarms"},
                           {"result", "ok"}});
      }
      return 0;
    }
    if (alarms.empty()) {
      std::printf("Node %s reported no alarms, local or clusterwide\n", inv.node.c_str());
      return 0;
    }
    for (const auto& a : alarms) std::printf("%s\n", AlarmLine(a).c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
