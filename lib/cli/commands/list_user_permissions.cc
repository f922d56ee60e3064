#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListUserPermissions() {
  CommandSpec c;
  c.name = "list_user_permissions";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Access Control";
  c.description = "Lists permissions of a user across all virtual hosts";
  c.usage = "[--no-table-headers] <username>";
  c.arg_docs = {{"<username>", "Name of the user"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html",
                  "https://rabbitmq.com/virtual-hosts.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.columns = {"vhost", "configure", "write", "read"};
  c.default_columns = c.columns;
  // A missing user is printed as the Erlang term, with EX_UNAVAILABLE, as rabbitmqctl does.
  c.errors = {{"not_found:user", {69, false}}};
  c.banner = [](const Invocation& inv) {
    return "Listing permissions for user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    Result<json> r = Call(inv, "GET", "/api/users/" + Seg(user) + "/permissions");
    if (!r.ok()) return NoSuchUserTerm(r.status(), user);
    return r;
  };
  c.output = PrintRowsOrEmptyLine;
  return c;
}

}  // namespace warren::cli::commands
