#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec SetGlobalParameter() {
  CommandSpec c;
  c.name = "set_global_parameter";
  c.section = "Parameters";
  c.description = "Sets a runtime parameter.";
  c.usage = "<name> <value>";
  c.arg_docs = {{"<name>", "global parameter name (identifier)"}, {"<value>", "parameter value"}};
  c.min_args = 2;
  c.max_args = 2;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.banner = [](const Invocation& inv) {
    return "Setting global runtime parameter \"" + inv.args[0] + "\" to \"" + inv.args[1] +
           "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json value, ParseJsonArg(inv.args[1]));
    return Call(inv, "PUT", "/api/global-parameters/" + Seg(inv.args[0]), json{{"value", value}});
  };
  return c;
}

}  // namespace warren::cli::commands
