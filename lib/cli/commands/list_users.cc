#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListUsers() {
  CommandSpec c;
  c.name = "list_users";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Users";
  c.description = "List user names and tags";
  c.usage = "[--no-table-headers] [--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.max_args = 0;
  c.banner_on_error = false;
  c.columns = {"user", "tags"};
  c.default_columns = {"user", "tags"};
  c.banner = [](const Invocation&) { return std::string("Listing users ..."); };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/users"); };
  return c;
}

}  // namespace warren::cli::commands
