#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec CloseConnection() {
  CommandSpec c;
  c.name = "close_connection";
  c.section = "Operations";
  c.description = "Instructs the broker to close the connection associated with the Erlang process id";
  c.usage = "<connection pid> <explanation>";
  c.arg_docs = {{"<connection pid>",
                 "connection identifier: its name as list_connections shows it, or its pid"},
                {"<explanation>", "reason for connection closure"}};
  c.min_args = 2;
  c.max_args = 2;
  c.doc_guides = {"https://rabbitmq.com/connections.html"};
  c.banner = [](const Invocation& inv) {
    return "Closing connection " + inv.args[0] + ", reason: " + inv.args[1] + "...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/connections/" + Seg(inv.args[0]), nullptr,
                {{"reason", inv.args[1]}});
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
