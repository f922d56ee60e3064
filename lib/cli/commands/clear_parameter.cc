#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearParameter() {
  CommandSpec c;
  c.name = "clear_parameter";
  c.section = "Parameters";
  c.description = "Clears a runtime parameter.";
  c.usage = "[--vhost <vhost>] <component_name> <name>";
  c.arg_docs = {{"<component_name>", "component name"}, {"<name>", "parameter name (identifier)"}};
  c.min_args = 2;
  c.max_args = 2;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.banner = [](const Invocation& inv) {
    return "Clearing runtime parameter \"" + inv.args[1] + "\" for component \"" + inv.args[0] +
           "\" on vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE",
                "/api/parameters/" + Seg(inv.args[0]) + "/" + Seg(inv.vhost) + "/" +
                    Seg(inv.args[1]));
  };
  return c;
}

}  // namespace warren::cli::commands
