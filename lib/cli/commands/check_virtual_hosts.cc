#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec CheckVirtualHosts() {
  CommandSpec c;
  c.name = "check_virtual_hosts";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description = "Health check that checks if all vhosts are running in the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.errors = {{"unavailable:check_failed_json", {69, true}}};
  c.banner = [](const Invocation& inv) {
    return "Checking if all vhosts are running on node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json r, Call(inv, "GET", "/api/node/vhosts-check"));
    const json down = r.value("down", json::array());
    if (down.empty()) return r;
    if (inv.formatter == "json") {
      return Status::Unavailable(json{{"down_vhosts", down}, {"result", "error"}}.dump(),
                                 "check_failed_json");
    }
    std::string text = "Some virtual hosts on node " + inv.node + " are down:";
    for (const auto& v : down) text += "\n" + v.get<std::string>();
    return Status::Unavailable(text, "check_failed");
  };
  c.output = [](Invocation& inv, const json&) {
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"result", "ok"}});
    } else {
      std::printf("Node %s reported all vhosts as running\n", inv.node.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
