#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec ListPolicies() {
  CommandSpec c;
  c.name = "list_policies";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Policies";
  c.description = "Lists all policies in a virtual host";
  c.usage = "[--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.columns = {"vhost", "name", "pattern", "apply-to", "definition", "priority"};
  c.default_columns = c.columns;
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Listing policies for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/policies/" + Seg(inv.vhost)); };
  // Definitions show as JSON text, in json output too (policies.txt).
  c.output = [](Invocation& inv, const json& rows) {
    return PrintRowsOrBlank(inv, JsonTextCells(rows, {"definition"}));
  };
  return c;
}

}  // namespace warren::cli::commands
