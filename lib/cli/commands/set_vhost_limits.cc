#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec SetVhostLimits() {
  CommandSpec c;
  c.name = "set_vhost_limits";
  c.section = "Virtual hosts";
  c.description = "Sets virtual host limits";
  c.usage = "[--vhost <vhost>] <definition>";
  c.arg_docs = {{"<definition>", "Limit definitions, must be a valid JSON document"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Setting vhost limits to \"" + inv.args[0] + "\" for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json limits, ParseJsonArg(inv.args[0]));
    return Call(inv, "PUT", "/api/vhost-limits/" + Seg(inv.vhost), json{{"value", limits}});
  };
  return c;
}

}  // namespace warren::cli::commands
