#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ClearUserLimits() {
  CommandSpec c;
  c.name = "clear_user_limits";
  c.section = "Users";
  c.description = "Clears user connection/channel limits";
  c.usage = "<username> <limit_type> | all";
  c.arg_docs = {{"<username>", "Self-explanatory"},
                {"<limit_type>", "Limit type, must be max-connections or max-channels"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.min_args = 2;
  c.max_args = 2;
  c.validate = [](const Invocation& inv) -> warren::Status {
    const std::string& type = inv.args[1];
    if (type != "all" && type != "max-connections" && type != "max-channels") {
      return warren::Status::BadInput("limit type '" + type +
                              "' is not supported; use max-connections, max-channels or all");
    }
    return warren::Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    if (inv.args[1] == "all") return "Clearing all limits for user \"" + inv.args[0] + "\" ...";
    return "Clearing \"" + inv.args[1] + "\" limit for user \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/user-limits/" + Seg(inv.args[0]) + "/" + Seg(inv.args[1]));
  };
  return c;
}

}  // namespace warren::cli::commands
