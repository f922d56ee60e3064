#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/plugins_common.h"

namespace warren::cli::commands {

CommandSpec PluginsSet() {
  CommandSpec c;
  c.name = "set";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Enables one or more plugins, disables the rest";
  c.usage = "<plugin1> [ <plugin2>] [--offline] [--online]";
  c.arg_docs = {{"<plugin>", "names of plugins to enable separated by a space. All other plugins will be disabled."}};
  c.doc_guides = {"https://rabbitmq.com/plugins.html"};
  c.flags = OnlineOfflineFlags();
  c.max_args = -1;
  c.validate = CheckOnlineOffline;
  c.banner = ChangeBanner("Enabling");
  // A malformed enabled plugins file is replaced: this is how to repair it.
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    WARREN_TRY(CheckKnown(view, inv.args));
    return ApplyPlugins(inv, view, inv.args, Change::kSet);
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
