#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/password_input.h"

namespace warren::cli::commands {

CommandSpec ChangePassword() {
  CommandSpec c;
  c.name = "change_password";
  c.section = "Users";
  c.description = "Changes the user password";
  c.usage = "<username> <password>";
  c.arg_docs = {{"<username>", "Name of the user whose password should be changed"},
                {"<password>", "New password to set"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 2;
  c.errors = {{"bad_input:password", {70, false}}};
  c.banner = [](const Invocation& inv) {
    return "Changing password for user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(std::string password, PasswordArgOrStdin(inv, 1));
    return Call(inv, "PUT", "/api/users/" + Seg(inv.args[0]) + "/password",
                json{{"password", password}});
  };
  return c;
}

}  // namespace warren::cli::commands
