#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec DeleteVhost() {
  CommandSpec c;
  c.name = "delete_vhost";
  c.section = "Virtual hosts";
  c.description = "Deletes a virtual host";
  c.usage = "<vhost>";
  c.arg_docs = {{"<vhost>", "Name of the virtual host to delete."}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  // rabbitmqctl prints a missing vhost without the "Error:" line (vhosts.txt).
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) { return "Deleting vhost \"" + inv.args[0] + "\" ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "DELETE", "/api/vhosts/" + Seg(inv.args[0])); };
  return c;
}

}  // namespace warren::cli::commands
