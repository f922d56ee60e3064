#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec DeleteUser() {
  CommandSpec c;
  c.name = "delete_user";
  c.section = "Users";
  c.description =
      "Removes a user from the internal database. Has no effect on users provided by external "
      "backends such as LDAP";
  c.usage = "<username>";
  c.arg_docs = {{"<username>", "Name of the user to delete."}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.banner = [](const Invocation& inv) { return "Deleting user \"" + inv.args[0] + "\" ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "DELETE", "/api/users/" + Seg(inv.args[0])); };
  return c;
}

}  // namespace warren::cli::commands
