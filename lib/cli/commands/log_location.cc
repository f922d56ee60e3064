#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec LogLocation() {
  CommandSpec c;
  c.name = "log_location";
  c.scopes = kDiagnostics;
  c.section = "Configuration and Environment";
  c.description = "Shows log file location(s) on target node";
  c.usage = "[--all|-a] [--timeout <timeout>]";
  c.flags = {{"all", 'a', false, "", "list all log files"}};
  c.doc_guides = {"https://rabbitmq.com/logging.html"};
  c.banner = [](const Invocation& inv) { return "Log file location(s) on node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/log/location"); };
  c.output = [](Invocation& inv, const json& r) {
    json paths = r.value("paths", json::array());
    if (!inv.has("all") && paths.size() > 1) paths = json::array({paths[0]});
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"node_name", inv.node}, {"paths", paths}, {"result", "ok"}});
      return 0;
    }
    for (const auto& p : paths) std::printf("%s\n", p.get<std::string>().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
