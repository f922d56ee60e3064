#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec ListGlobalParameters() {
  CommandSpec c;
  c.name = "list_global_parameters";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Parameters";
  c.description = "Lists global runtime parameters";
  c.usage = "[--no-table-headers] [--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.columns = {"name", "value"};
  c.default_columns = c.columns;
  c.banner = [](const Invocation&) { return std::string("Listing global runtime parameters ..."); };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/global-parameters"); };
  c.output = [](Invocation& inv, const json& rows) {
    return PrintRowsOrBlank(inv, JsonTextCells(rows, {"value"}));
  };
  return c;
}

}  // namespace warren::cli::commands
