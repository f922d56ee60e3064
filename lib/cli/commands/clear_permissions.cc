#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearPermissions() {
  CommandSpec c;
  c.name = "clear_permissions";
  c.section = "Access Control";
  c.description = "Revokes user permissions for a vhost";
  c.usage = "[--vhost <vhost>] <username>";
  c.arg_docs = {{"<username>", "Name of the user whose permissions should be revoked"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.banner = [](const Invocation& inv) {
    return "Clearing permissions for user \"" + inv.args[0] + "\" in vhost \"" + inv.vhost +
           "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    Result<json> r = Call(inv, "DELETE", "/api/permissions/" + Seg(inv.vhost) + "/" + Seg(user));
    if (!r.ok()) return PermissionTargetError(r.status(), user, inv.vhost);
    return r;
  };
  return c;
}

}  // namespace warren::cli::commands
