#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec SetUserLimits() {
  CommandSpec c;
  c.name = "set_user_limits";
  c.section = "Users";
  c.description = "Sets user limits";
  c.usage = "<username> <definition>";
  c.arg_docs = {{"<username>", "Self-explanatory"},
                {"<definition>", "Limit definitions as a JSON document"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 2;
  c.max_args = 2;
  c.banner = [](const Invocation& inv) {
    return "Setting user limits to \"" + inv.args[1] + "\" for user \"" + inv.args[0] + "\" ...";
  };
  // The node parses and validates the definition, so every door gets the same answer.
  c.run = [](Invocation& inv) {
    return Call(inv, "PUT", "/api/user-limits/" + Seg(inv.args[0]),
                json{{"definition", inv.args[1]}});
  };
  return c;
}

}  // namespace warren::cli::commands
