#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/plugins_common.h"
#include "cli/exit_codes.h"

namespace warren::cli::commands {

CommandSpec PluginsEnable() {
  CommandSpec c;
  c.name = "enable";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Enables one or more plugins";
  c.usage = "<plugin1> [ <plugin2>] | --all [--offline] [--online]";
  c.arg_docs = {{"<plugin>", "names of plugins to enable separated by a space"}};
  c.doc_guides = {"https://rabbitmq.com/plugins.html"};
  c.flags = OnlineOfflineFlags();
  c.flags.push_back({"all", 0, false, "", "enable all available plugins"});
  c.max_args = -1;
  c.validate = CheckNamesOrAll;
  c.banner = ChangeBanner("Enabling");
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    WARREN_TRY(CheckEnabledFileReadable(view));
    std::vector<std::string> names = inv.args;
    if (inv.has("all"))
      for (const auto& p : view.state["plugins"]) names.push_back(p["name"].get<std::string>());
    WARREN_TRY(CheckKnown(view, names));
    auto next = view.state["explicit"].get<std::vector<std::string>>();
    next.insert(next.end(), names.begin(), names.end());
    return ApplyPlugins(inv, view, next, Change::kEnable);
  };
  c.output = PrintNothing;
  c.errors = {{"bad_input", {kExitDataErr}}};
  return c;
}

}  // namespace warren::cli::commands
