#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec SetParameter() {
  CommandSpec c;
  c.name = "set_parameter";
  c.section = "Parameters";
  c.description = "Sets a runtime parameter.";
  c.usage = "[--vhost <vhost>] <component_name> <name> <value>";
  c.arg_docs = {{"<component_name>", "component name"},
                {"<name>", "parameter name (identifier)"},
                {"<value>", "parameter value"}};
  c.min_args = 3;
  c.max_args = 3;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Setting runtime parameter \"" + inv.args[1] + "\" for component \"" + inv.args[0] +
           "\" to \"" + inv.args[2] + "\" in vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json value, ParseJsonArg(inv.args[2]));
    return Call(inv, "PUT",
                "/api/parameters/" + Seg(inv.args[0]) + "/" + Seg(inv.vhost) + "/" +
                    Seg(inv.args[1]),
                json{{"value", value}});
  };
  return c;
}

}  // namespace warren::cli::commands
