#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec SetTopicPermissions() {
  CommandSpec c;
  c.name = "set_topic_permissions";
  c.section = "Access Control";
  c.description = "Sets user topic permissions for an exchange";
  c.usage = "[--vhost <vhost>] <username> <exchange> <write> <read>";
  c.arg_docs = {{"<username>", "Self-explanatory"},
                {"<exchange>", "Topic exchange to set the permissions for"},
                {"<write>", "Write permission pattern"},
                {"<read>", "Read permission pattern"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 4;
  c.max_args = 4;
  c.uses_vhost = true;
  c.banner = [](const Invocation& inv) {
    return "Setting topic permissions on \"" + inv.args[1] + "\" for user \"" + inv.args[0] +
           "\" in vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string& user = inv.args[0];
    Result<json> r =
        Call(inv, "PUT", "/api/topic-permissions/" + Seg(inv.vhost) + "/" + Seg(user),
             json{{"exchange", inv.args[1]}, {"write", inv.args[2]}, {"read", inv.args[3]}});
    if (!r.ok()) return PermissionTargetError(r.status(), user, inv.vhost);
    return r;
  };
  return c;
}

}  // namespace warren::cli::commands
