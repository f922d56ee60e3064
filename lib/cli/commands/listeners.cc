#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec Listeners() {
  CommandSpec c;
  c.name = "listeners";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Lists active connection listeners (bound interface, port, protocol) on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/networking.html"};
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " to report its protocol listeners ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/listeners"); };
  c.output = [](Invocation& inv, const json& listeners) {
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"listeners", listeners}, {"node", inv.node}, {"result", "ok"}});
      return 0;
    }
    if (inv.formatter == "csv") {
      const char* cols[] = {"node", "protocol", "interface", "port", "purpose"};
      std::string out;
      for (const char* col : cols) out += std::string(out.empty() ? "" : ",") + col;
      out += "\n";
      for (const auto& l : listeners) {
        std::string row;
        for (const char* col : cols) row += (row.empty() ? "" : ",") + CellText(l.value(col, json()));
        out += row + "\n";
      }
      std::fputs(out.c_str(), stdout);
      return 0;
    }
    if (listeners.empty()) {
      std::printf("Node %s reported no enabled listeners.\n", inv.node.c_str());
      return 0;
    }
    for (const auto& l : listeners) std::printf("%s\n", ListenerLine(l).c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
