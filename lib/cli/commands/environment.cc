#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec Environment() {
  CommandSpec c;
  c.name = "environment";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Configuration and Environment";
  c.description =
      "Displays the node's effective configuration: every setting in effect, by its RabbitMQ "
      "setting name";
  c.doc_guides = {"https://rabbitmq.com/configure.html", "https://rabbitmq.com/monitoring.html"};
  c.banner = [](const Invocation& inv) {
    return "Application environment of node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/environment"); };
  // RabbitMQ prints its Erlang application environment as terms; warren's configuration
  // is flat, so it prints as rabbitmq.conf lines (sorted), which can be pasted back.
  c.output = [](Invocation& inv, const json& settings) {
    if (inv.formatter == "json") {
      PrintJsonLine(settings);
      return 0;
    }
    std::string out;
    for (const auto& [key, value] : settings.items())
      out += key + " = " + (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
