#include <cstdio>

#include "base/version.h"
#include "cli/commands/commands.h"

namespace warren::cli::commands {

CommandSpec Version() {
  CommandSpec c;
  c.name = "version";
  c.scopes = kCtl | kPlugins | kDiagnostics;
  c.section = "Help";
  c.description = "Displays CLI tools version";
  c.needs_node = false;
  c.run = [](Invocation& inv) -> Result<json> {
    // Through a rabbitmq* link, report the RabbitMQ version whose tools this mirrors, so
    // scripts that compare versions keep working; as itself, warren's own.
    bool compat = inv.tool->name.rfind("rabbitmq", 0) == 0;
    std::printf("%s\n", compat ? kRabbitmqCompatVersion : kVersion);
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
