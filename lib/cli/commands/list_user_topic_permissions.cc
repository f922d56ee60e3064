#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListUserTopicPermissions() {
  CommandSpec c;
  c.name = "list_user_topic_permissions";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Access Control";
  c.description = "Lists user topic permissions";
  c.usage = "[--no-table-headers] <username>";
  c.arg_docs = {{"<username>", "Name of the user"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.columns = {"vhost", "exchange", "write", "read"};
  c.default_columns = c.columns;
  c.errors = {{"not_found:user", {69, false}}};
  c.banner = [](const Invocation& inv) {
    return "Listing topic permissions for user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    Result<json> r = Call(inv, "GET", "/api/users/" + Seg(user) + "/topic-permissions");
    if (!r.ok()) return NoSuchUserTerm(r.status(), user);
    return r;
  };
  // rabbitmqctl prints this listing without its header row.
  c.output = [](Invocation& inv, const json& rows) {
    inv.no_table_headers = true;
    return PrintRowsOrEmptyLine(inv, rows);
  };
  return c;
}

}  // namespace warren::cli::commands
