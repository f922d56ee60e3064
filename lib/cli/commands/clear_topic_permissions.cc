#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearTopicPermissions() {
  CommandSpec c;
  c.name = "clear_topic_permissions";
  c.section = "Access Control";
  c.description = "Clears user topic permissions for a vhost or exchange";
  c.usage = "[--vhost <vhost>] <username> [<exchange>]";
  c.arg_docs = {{"<username>", "Name of the user whose topic permissions should be revoked"},
                {"<exchange>", "Exchange the permissions are for"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = 2;
  c.uses_vhost = true;
  c.banner = [](const Invocation& inv) {
    std::string on = inv.args.size() == 2 ? "on \"" + inv.args[1] + "\" " : "";
    return "Clearing topic permissions " + on + "for user \"" + inv.args[0] + "\" in vhost \"" +
           inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    std::map<std::string, std::string> query;
    if (inv.args.size() == 2) query["exchange"] = inv.args[1];
    Result<json> r = Call(inv, "DELETE",
                          "/api/topic-permissions/" + Seg(inv.vhost) + "/" + Seg(user), nullptr,
                          query);
    if (!r.ok()) return PermissionTargetError(r.status(), user, inv.vhost);
    return r;
  };
  return c;
}

}  // namespace warren::cli::commands
