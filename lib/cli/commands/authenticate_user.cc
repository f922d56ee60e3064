#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/password_input.h"

namespace warren::cli::commands {

CommandSpec AuthenticateUser() {
  CommandSpec c;
  c.name = "authenticate_user";
  c.section = "Users";
  c.description =
      "Attempts to authenticate a user. Exits with a non-zero code if authentication fails.";
  c.usage = "<username> <password>";
  c.arg_docs = {{"<username>", "Username to use"},
                {"<password>", "Password to use. Can be entered via stdin in interactive mode."}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 2;
  // A refused login is EX_DATAERR (the default for access_refused); no password at all
  // is EX_SOFTWARE, as in rabbitmqctl.
  c.errors = {{"bad_input:password", {70, false}}};
  c.banner = [](const Invocation& inv) {
    return "Authenticating user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    WARREN_ASSIGN_OR_RETURN(std::string password, PasswordArgOrStdin(inv, 1));
    Result<json> r =
        Call(inv, "POST", "/api/users/" + Seg(user) + "/authenticate", json{{"password", password}});
    if (!r.ok() && r.status().kind() == ErrorKind::kAccessRefused) {
      return warren::Status(ErrorKind::kAccessRefused,
                    "Error: failed to authenticate user \"" + user + "\"\n" + r.status().message(),
                    r.status().subject());
    }
    return r;
  };
  c.output = [](Invocation&, const json&) {
    std::puts("Success");
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
