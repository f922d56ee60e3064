#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec ListParameters() {
  CommandSpec c;
  c.name = "list_parameters";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Parameters";
  c.description = "Lists runtime parameters for a virtual host";
  c.usage = "[--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.columns = {"component", "name", "value"};
  c.default_columns = c.columns;
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Listing runtime parameters for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "GET", "/api/parameters", nullptr, {{"vhost", inv.vhost}});
  };
  // Values show as JSON text, in json output too (parameters.txt).
  c.output = [](Invocation& inv, const json& rows) {
    return PrintRowsOrBlank(inv, JsonTextCells(rows, {"value"}));
  };
  return c;
}

}  // namespace warren::cli::commands
