#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec ServerVersion() {
  CommandSpec c;
  c.name = "server_version";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description = "Displays server version on the target node";
  c.usage = "[--timeout <timeout>]";
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " for its " + ProductName(inv) + " version...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/state"); };
  // Through a rabbitmq* link, the RabbitMQ version the node mirrors (as `version` does for
  // the CLI), so scripts that compare versions keep working; as itself, warren's own.
  c.output = [](Invocation& inv, const json& state) {
    const std::string v = state.value(RabbitCompat(inv) ? "rabbitmq_version" : "version", "");
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"result", "ok"}, {"value", v}});
    } else {
      std::printf("%s\n", v.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
