#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearGlobalParameter() {
  CommandSpec c;
  c.name = "clear_global_parameter";
  c.section = "Parameters";
  c.description = "Clears a global runtime parameter";
  c.usage = "<name>";
  c.arg_docs = {{"<name>", "parameter name (identifier)"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.banner = [](const Invocation& inv) {
    return "Clearing global runtime parameter \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/global-parameters/" + Seg(inv.args[0]));
  };
  return c;
}

}  // namespace warren::cli::commands
