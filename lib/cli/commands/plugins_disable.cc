#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/plugins_common.h"
#include "cli/exit_codes.h"
#include "plugin/catalog.h"

namespace warren::cli::commands {

CommandSpec PluginsDisable() {
  CommandSpec c;
  c.name = "disable";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Disables one or more plugins";
  c.usage = "<plugin1> [ <plugin2>] | --all [--offline] [--online]";
  c.arg_docs = {{"<plugin>", "names of plugins to disable separated by a space"}};
  c.doc_guides = {"https://rabbitmq.com/plugins.html"};
  c.flags = OnlineOfflineFlags();
  c.flags.push_back({"all", 0, false, "", "disable all plugins"});
  c.max_args = -1;
  c.validate = CheckNamesOrAll;
  c.banner = ChangeBanner("Disabling");
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    WARREN_TRY(CheckEnabledFileReadable(view));
    std::vector<std::string> next;
    if (!inv.has("all")) {
      // Plugins that depend on a disabled one go too, as with rabbitmq-plugins.
      plugin::Catalog deps;
      for (const auto& p : view.state["plugins"])
        deps.plugins[p["name"].get<std::string>()] = plugin::Manifest{
            p["name"].get<std::string>(), "", "", p["dependencies"].get<std::vector<std::string>>()};
      next = plugin::WithoutDependents(
          deps, view.state["explicit"].get<std::vector<std::string>>(), inv.args);
    }
    return ApplyPlugins(inv, view, next, Change::kDisable);
  };
  c.output = PrintNothing;
  c.errors = {{"bad_input", {kExitDataErr}}};
  return c;
}

}  // namespace warren::cli::commands
