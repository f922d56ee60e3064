#include <charconv>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec LogTail() {
  CommandSpec c;
  c.name = "log_tail";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description = "Prints the last N lines of the log on the node";
  c.usage = "[--number|-N <number>] [--timeout <timeout>]";
  c.flags = {{"number", 'N', true, "<number>", "number of lines to print. Defaults to 50", "50"}};
  c.doc_guides = {"https://rabbitmq.com/logging.html"};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string n = inv.flag("number", "50");
    int value = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
    if (ec != std::errc() || end != n.data() + n.size() || value < 0)
      return Status::Precondition("Invalid options for this command:\n--number : " + n);
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Last " + inv.flag("number", "50") + " log lines on node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "GET", "/api/node/log", nullptr, {{"lines", inv.flag("number", "50")}});
  };
  c.output = [](Invocation& inv, const json& r) {
    const json lines = r.value("lines", json::array());
    if (inv.formatter == "json") {
      PrintJsonLine(lines);
      return 0;
    }
    for (const auto& l : lines) std::printf("%s\n", l.get<std::string>().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
