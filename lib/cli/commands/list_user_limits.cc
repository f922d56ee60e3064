#include <cstdio>

#include "cli/commands/access_common.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec ListUserLimits() {
  CommandSpec c;
  c.name = "list_user_limits";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Users";
  c.description = "Displays configured user limits";
  c.usage = "[--user <username>] [--global]";
  c.flags = {{"user", 0, true, "<username>", "", "guest"},
             {"global", 0, false, "", "list limits for all the users"}};
  c.doc_guides = {"https://rabbitmq.com/access-control.html"};
  c.max_args = 0;
  c.columns = {"user", "limits"};
  c.default_columns = {"user", "limits"};
  // A missing user is reported as rabbitmqctl does: the Erlang term, EX_UNAVAILABLE.
  c.errors = {{"not_found:user", {69, false}}};
  c.banner = [](const Invocation& inv) {
    if (inv.has("global")) return std::string("Listing limits for all users ...");
    return "Listing limits for user \"" + inv.flag("user", "guest") + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    if (inv.has("global")) return Call(inv, "GET", "/api/user-limits");
    const std::string user = inv.flag("user", "guest");
    Result<json> r = Call(inv, "GET", "/api/user-limits", nullptr, {{"user", user}});
    if (!r.ok()) return NoSuchUserTerm(r.status(), user);
    return r;
  };
  // One user: the limits as one JSON document. All users: a table of user and limits.
  c.output = [](Invocation& inv, const json& result) {
    if (!result.is_array()) {
      std::printf("%s\n", result.dump().c_str());
      return 0;
    }
    return PrintRows(inv, result);
  };
  return c;
}

}  // namespace warren::cli::commands
