#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearPassword() {
  CommandSpec c;
  c.name = "clear_password";
  c.section = "Users";
  c.description = "Clears (resets) password and disables password login for a user";
  c.usage = "<username>";
  c.arg_docs = {{"<username>", "Name of the user whose password should be cleared"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.banner = [](const Invocation& inv) {
    return "Clearing password for user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/users/" + Seg(inv.args[0]) + "/password");
  };
  return c;
}

}  // namespace warren::cli::commands
