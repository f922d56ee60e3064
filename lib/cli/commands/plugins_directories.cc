#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"
#include "cli/commands/plugins_common.h"

namespace warren::cli::commands {

CommandSpec PluginsDirectories() {
  CommandSpec c;
  c.name = "directories";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Displays plugin directory and enabled plugin file paths";
  c.usage = "[--offline] [--online]";
  c.doc_guides = {"https://rabbitmq.com/plugins.html"};
  c.flags = OnlineOfflineFlags();
  c.validate = CheckOnlineOffline;
  c.banner = [](const Invocation& inv) {
    return inv.has("offline") ? std::string("Listing plugin directories inferred from local environment...")
                              : "Listing plugin directories used by node " + inv.node;
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    // Shared objects load where they are: there is no separate expansion directory.
    return json{{"enabled_plugins_file", view.state["enabled_plugins_file"]},
                {"plugins_dir", view.state["plugins_dir"]},
                {"plugins_expand_dir", view.state["plugins_dir"]}};
  };
  c.output = [](Invocation& inv, const json& d) {
    if (inv.formatter == "json") {
      PrintJsonLine(d);
      return 0;
    }
    std::printf("Plugin archives directory: %s\nPlugin expansion directory: %s\nEnabled plugins file: %s\n",
                d["plugins_dir"].get<std::string>().c_str(),
                d["plugins_expand_dir"].get<std::string>().c_str(),
                d["enabled_plugins_file"].get<std::string>().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
