#include <iostream>
#include <string>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec AddUser() {
  CommandSpec c;
  c.name = "add_user";
  c.section = "Users";
  c.description =
      "Creates a new user in the internal database. This user will have no permissions for any "
      "virtual hosts by default.";
  c.usage = "<username> <password>";
  c.arg_docs = {{"<username>", "Self-explanatory"},
                {"<password>", "Password this user will authenticate with. Use a blank string to "
                               "disable password-based authentication."}};
  c.min_args = 1;
  c.max_args = 2;
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.errors = {{"bad_input", {65, false}}};
  c.banner = [](const Invocation& inv) { return "Adding user \"" + inv.args[0] + "\" ..."; };
  c.run = [](Invocation& inv) -> Result<json> {
    std::string password;
    if (inv.args.size() == 2) {
      password = inv.args[1];
    } else {
      // As rabbitmqctl: prompt, then read one line from standard input.
      std::fputs("Password: \n", stdout);
      std::fflush(stdout);
      if (!std::getline(std::cin, password))
        return Status::BadInput("Password is not provided via argument or stdin");
    }
    return Call(inv, "POST", "/api/users/" + Seg(inv.args[0]), json{{"password", password}});
  };
  c.output = [](Invocation& inv, const json&) {
    if (!inv.quiet && !inv.silent)
      std::puts("Done. Don't forget to grant the user permissions to some virtual hosts! See "
                "'rabbitmqctl help set_permissions' to learn more.");
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
