#include <cstdio>

#include "cli/cli.h"
#include "cli/commands/commands.h"
#include "cli/help.h"

namespace warren::cli::commands {

CommandSpec Help() {
  CommandSpec c;
  c.name = "help";
  c.scopes = kCtl | kPlugins | kDiagnostics;
  c.section = "Help";
  c.description = "Displays usage information for a command";
  c.usage = "[--list-commands] [<command>]";
  c.arg_docs = {{"<command>", "The command to display usage information for"}};
  c.flags = {{"list-commands", 'l', false, "", "only list the commands, without usage"}};
  c.max_args = 1;
  c.needs_node = false;
  c.errors = {{"not_found", {64, false}}};
  c.run = [](Invocation& inv) -> Result<json> {
    if (inv.args.empty()) {
      std::fputs(inv.has("list-commands") ? CommandList(*inv.tool).c_str()
                                          : GeneralUsage(*inv.tool).c_str(),
                 stdout);
      return json(nullptr);
    }
    const CommandSpec* spec = FindCommand(inv.args[0], inv.tool->scope);
    if (!spec) return Status::NotFound("\nCommand '" + inv.args[0] + "' not found.");
    std::fputs(CommandHelp(*inv.tool, *spec).c_str(), stdout);
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
