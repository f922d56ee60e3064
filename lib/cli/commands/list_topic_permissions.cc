#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListTopicPermissions() {
  CommandSpec c;
  c.name = "list_topic_permissions";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Access Control";
  c.description = "Lists topic permissions in a virtual host";
  c.usage = "[--vhost <vhost>] [--no-table-headers]";
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.max_args = 0;
  c.uses_vhost = true;
  c.columns = {"user", "exchange", "write", "read"};
  c.default_columns = c.columns;
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Listing topic permissions for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "GET", "/api/vhosts/" + Seg(inv.vhost) + "/topic-permissions");
  };
  c.output = PrintRowsOrEmptyLine;
  return c;
}

}  // namespace warren::cli::commands
