#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec SetPermissions() {
  CommandSpec c;
  c.name = "set_permissions";
  c.section = "Access Control";
  c.description = "Sets user permissions for a vhost";
  c.usage = "[--vhost <vhost>] <username> <conf> <write> <read>";
  c.arg_docs = {{"<username>", "Self-explanatory"},
                {"<conf>", "Configuration permission pattern"},
                {"<write>", "Write permission pattern"},
                {"<read>", "Read permission pattern"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html",
                  "https://rabbitmq.com/virtual-hosts.html"};
  c.min_args = 4;
  c.max_args = 4;
  c.uses_vhost = true;
  c.banner = [](const Invocation& inv) {
    return "Setting permissions for user \"" + inv.args[0] + "\" in vhost \"" + inv.vhost +
           "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    Result<json> r = Call(inv, "PUT", "/api/permissions/" + Seg(inv.vhost) + "/" + Seg(user),
                          json{{"configure", inv.args[1]},
                               {"write", inv.args[2]},
                               {"read", inv.args[3]}});
    if (!r.ok()) return PermissionTargetError(r.status(), user, inv.vhost);
    return r;
  };
  return c;
}

}  // namespace warren::cli::commands
