#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListVhosts() {
  CommandSpec c;
  c.name = "list_vhosts";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Access Control";
  c.description = "Lists virtual hosts";
  c.usage = "[--no-table-headers] [<column> ...] [--timeout <timeout>]";
  c.arg_docs = {{"<column>", "must be one of cluster_state, default_queue_type, description, "
                             "name, tags, tracing"}};
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html",
                  "https://rabbitmq.com/access-control.html"};
  c.banner_on_error = false;
  c.columns = {"name", "description", "tags", "default_queue_type", "tracing", "cluster_state"};
  c.column_args = true;
  c.default_columns = {"name"};
  c.banner = [](const Invocation&) { return std::string("Listing vhosts ..."); };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/vhosts"); };
  c.output = [](Invocation& inv, const json& rows) {
    if (inv.formatter == "json") return PrintRows(inv, rows);
    // Tables show cluster_state as the Erlang list rabbitmqctl prints:
    // [{rabbit@host, running}].
    json shown = rows;
    for (auto& row : shown) {
      if (!row.contains("cluster_state") || !row["cluster_state"].is_object()) continue;
      std::string text;
      for (const auto& [node, state] : row["cluster_state"].items())
        text += (text.empty() ? "{" : ", {") + node + ", " + CellText(state) + "}";
      row["cluster_state"] = "[" + text + "]";
    }
    return PrintRows(inv, shown);
  };
  return c;
}

}  // namespace warren::cli::commands
