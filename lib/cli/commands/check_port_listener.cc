#include <algorithm>
#include <charconv>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec CheckPortListener() {
  CommandSpec c;
  c.name = "check_port_listener";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Health check that exits with a non-zero code if target node does not have an active "
      "listener for given port";
  c.usage = "<port> [--timeout <timeout>]";
  c.arg_docs = {{"<port>", "the port to look for among the node's active listeners"}};
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.min_args = 1;
  c.max_args = 1;
  // A failed check prints its report without the "Error:" line
  // (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
  c.errors = {{"unavailable:check_failed", {69, true}}};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string& a = inv.args[0];
    int port = 0;
    auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), port);
    if (ec != std::errc() || end != a.data() + a.size() || port <= 0)
      return Status::BadInput("Bad argument: Argument must be a positive integer");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " if there's an active listener on port " + inv.args[0] +
           " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json listeners, Call(inv, "GET", "/api/node/listeners"));
    const int port = std::stoi(inv.args[0]);  // validated
    std::vector<int> ports;
    for (const auto& l : listeners) {
      if (l.value("port", 0) == port) return json{{"port", port}};
      ports.push_back(l.value("port", 0));
    }
    if (inv.formatter == "json") {
      const json report = {{"listeners", listeners},
                           {"missing", port},
                           {"ports", ports},
                           {"result", "error"}};
      return Status::Unavailable(report.dump(), "check_failed");
    }
    std::sort(ports.begin(), ports.end());
    std::string list;
    for (int p : ports) list += (list.empty() ? "" : ", ") + std::to_string(p);
    return Status::Unavailable("No listener for port " + std::to_string(port) +
                                   " is active on node " + inv.node +
                                   ". Found listeners that use the following ports: " + list,
                               "check_failed");
  };
  c.output = [](Invocation& inv, const json& found) {
    const int port = found.value("port", 0);
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"node", inv.node}, {"port", port}, {"result", "ok"}});
    } else {
      std::printf("A listener for port %d is running on node %s.\n", port, inv.node.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
