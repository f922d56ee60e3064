#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec SetUserTags() {
  CommandSpec c;
  c.name = "set_user_tags";
  c.section = "Users";
  c.description = "Sets user tags";
  c.usage = "<username> <tag> [...]";
  c.arg_docs = {{"<username>", "Self-explanatory"}, {"<tags>", "Space separated list of tags"}};
  c.doc_guides = {"https://rabbitmq.com/management.html",
                  "https://rabbitmq.com/access-control.html"};
  c.min_args = 1;
  c.max_args = -1;
  c.banner = [](const Invocation& inv) {
    std::string tags;
    for (size_t i = 1; i < inv.args.size(); ++i) tags += (i > 1 ? ", " : "") + inv.args[i];
    return "Setting tags for user \"" + inv.args[0] + "\" to [" + tags + "] ...";
  };
  c.run = [](Invocation& inv) {
    json tags(std::vector<std::string>(inv.args.begin() + 1, inv.args.end()));
    return Call(inv, "PUT", "/api/users/" + Seg(inv.args[0]) + "/tags", json{{"tags", tags}});
  };
  return c;
}

}  // namespace warren::cli::commands
