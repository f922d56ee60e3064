#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec ListVhostLimits() {
  CommandSpec c;
  c.name = "list_vhost_limits";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Virtual hosts";
  c.description = "Displays configured virtual host limits";
  c.usage = "[--vhost <vhost>] [--global] [--no-table-headers]";
  c.flags = {{"global", 0, false, "", "list the limits of every virtual host"}};
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  c.columns = {"vhost", "limits"};
  c.default_columns = {"vhost", "limits"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    if (inv.has("global")) return std::string("Listing limits for all vhosts ...");
    return "Listing limits for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    if (inv.has("global")) return Call(inv, "GET", "/api/vhost-limits");
    return Call(inv, "GET", "/api/vhost-limits/" + Seg(inv.vhost));
  };
  c.output = [](Invocation& inv, const json& rows) {
    if (inv.has("global")) {
      json shown = json::array();
      for (const auto& r : rows) shown.push_back({{"vhost", r["vhost"]}, {"limits", r["value"]}});
      return PrintRowsOrBlank(inv, JsonTextCells(shown, {"limits"}));
    }
    // One vhost: its limits document alone, as rabbitmqctl prints it.
    if (rows.empty()) {
      std::fputs(inv.formatter == "json" ? "[]\n" : "\n", stdout);
      return 0;
    }
    std::printf("%s\n", rows[0]["value"].dump().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
