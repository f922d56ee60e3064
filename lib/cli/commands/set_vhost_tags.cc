#include <vector>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec SetVhostTags() {
  CommandSpec c;
  c.name = "set_vhost_tags";
  c.section = "Virtual hosts";
  c.description = "Sets virtual host tags";
  c.usage = "<vhost> <tag> [...]";
  c.arg_docs = {{"<vhost>", "Self-explanatory"}, {"<tags>", "Space separated list of tags"}};
  c.min_args = 1;
  c.max_args = -1;
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    std::string tags;
    for (size_t i = 1; i < inv.args.size(); ++i) tags += (i > 1 ? ", " : "") + inv.args[i];
    return "Setting tags for virtual host \"" + inv.args[0] + "\" to [" + tags + "] ...";
  };
  c.run = [](Invocation& inv) {
    std::vector<std::string> tags(inv.args.begin() + 1, inv.args.end());
    return Call(inv, "PUT", "/api/vhosts/" + Seg(inv.args[0]) + "/tags", json{{"tags", tags}});
  };
  return c;
}

}  // namespace warren::cli::commands
