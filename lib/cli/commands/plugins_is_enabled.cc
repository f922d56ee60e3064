#include <algorithm>
#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"
#include "cli/commands/plugins_common.h"

namespace warren::cli::commands {
namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

CommandSpec PluginsIsEnabled() {
  CommandSpec c;
  c.name = "is_enabled";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Health check. Exits with a non-zero code if provided plugins are not enabled on target node";
  c.usage = "<plugin1> [ <plugin2>] [--offline] [--online]";
  c.arg_docs = {{"<plugin>", "names of plugins to check separated by a space"}};
  c.doc_guides = {"https://rabbitmq.com/plugins.html", "https://rabbitmq.com/monitoring.html"};
  c.flags = OnlineOfflineFlags();
  c.min_args = 1;
  c.max_args = -1;
  c.validate = CheckOnlineOffline;
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " if plugin" + (inv.args.size() > 1 ? "s " : " ") +
           Joined(inv.args) + (inv.args.size() > 1 ? " are" : " is") + " enabled...";
  };
  // Online: the plugins running on the node. Offline: the enabled plugins file.
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    const auto active = Names(view.online ? view.state["running"] : view.state["enabled"]);
    std::vector<std::string> missing;
    for (const auto& a : inv.args)
      if (!std::binary_search(active.begin(), active.end(), a)) missing.push_back(a);
    const bool many = inv.args.size() > 1;
    if (!missing.empty()) {
      const bool m = missing.size() > 1;
      return Status::Unavailable(std::string(m ? "Plugins " : "Plugin ") + Joined(missing) +
                                 (m ? " are" : " is") + " not enabled on node " + inv.node +
                                 ". Enabled plugins and dependencies: " + Joined(active));
    }
    return json(std::string(many ? "Plugins " : "Plugin ") + Joined(inv.args) +
                (many ? " are" : " is") + " enabled on node " + inv.node);
  };
  c.output = [](Invocation& inv, const json& msg) {
    if (inv.formatter == "json")
      PrintJsonLine(json{{"message", msg}, {"result", "ok"}});
    else
      std::printf("%s\n", msg.get<std::string>().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
