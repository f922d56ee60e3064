#include <charconv>
#include <string>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

CommandSpec SetOperatorPolicy() {
  CommandSpec c;
  c.name = "set_operator_policy";
  c.section = "Policies";
  c.description = "Sets an operator policy that overrides a subset of arguments in user policies";
  c.usage =
      "[--vhost <vhost>] [--priority <priority>] [--apply-to <apply-to>] <name> <pattern> "
      "<definition>";
  c.arg_docs = {
      {"<name>", "policy name (identifier)"},
      {"<pattern>", "a regular expression pattern that will be used to match queue, exchanges, etc"},
      {"<definition>", "policy definition (arguments). Must be a valid JSON document"},
  };
  c.flags = {
      {"priority", 0, true, "<priority>", "policy priority"},
      {"apply-to", 0, true, "<queues | exchanges | all>",
       "policy should only apply to queues, exchanges, or all entities (both of the above)"},
  };
  c.min_args = 3;
  c.max_args = 3;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.validate = [](const Invocation& inv) -> Status {
    // --priority is an integer option: anything else is an invalid option (exit 64).
    if (!inv.has("priority")) return Status::OK();
    const std::string p = inv.flag("priority");
    int value = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || ec != std::errc() || ptr != p.data() + p.size())
      return Status::Precondition("Invalid options for this command:\n--priority : " + p);
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Setting operator policy override \"" + inv.args[0] + "\" for pattern \"" + inv.args[1] + "\" to \"" +
           inv.args[2] + "\" with priority \"" + inv.flag("priority", "0") + "\" for vhost \"" +
           inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json definition, ParseJsonArg(inv.args[2]));
    json body = {{"pattern", inv.args[1]},
                 {"definition", definition},
                 {"priority", std::stoi(inv.flag("priority", "0"))},
                 {"apply-to", inv.flag("apply-to", "all")}};
    return Call(inv, "PUT", "/api/operator-policies/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]), body);
  };
  return c;
}

}  // namespace warren::cli::commands
