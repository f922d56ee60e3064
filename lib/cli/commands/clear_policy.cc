#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearPolicy() {
  CommandSpec c;
  c.name = "clear_policy";
  c.section = "Policies";
  c.description = "Clears (removes) a policy";
  c.usage = "[--vhost <vhost>] <name>";
  c.arg_docs = {{"<name>", "Name of policy to clear (remove)"}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.banner = [](const Invocation& inv) {
    return "Clearing policy \"" + inv.args[0] + "\" on vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/policies/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]));
  };
  return c;
}

}  // namespace warren::cli::commands
