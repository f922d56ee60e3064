#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearVhostLimits() {
  CommandSpec c;
  c.name = "clear_vhost_limits";
  c.section = "Virtual hosts";
  c.description = "Clears virtual host limits";
  c.usage = "[--vhost <vhost>]";
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  c.banner = [](const Invocation& inv) { return "Clearing vhost \"" + inv.vhost + "\" limits ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "DELETE", "/api/vhost-limits/" + Seg(inv.vhost)); };
  return c;
}

}  // namespace warren::cli::commands
