#include "cli/commands/policy_common.h"

#include <charconv>
#include <string>

#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli::commands {

const PolicyKind kUserPolicy = {
    "policy",
    "policies",
    "/api/policies/",
    "policy",
    "policy",
    "policies",
    "Sets or updates a policy",
    "Clears (removes) a policy",
    "Lists all policies in a virtual host",
    "regular expression pattern that will be used to match queues, exchanges, etc",
    "Name of policy to clear (remove)",
};

const PolicyKind kOperatorPolicy = {
    "operator_policy",
    "operator_policies",
    "/api/operator-policies/",
    "operator policy override",
    "operator policy",
    "operator policy overrides",
    "Sets an operator policy that overrides a subset of arguments in user policies",
    "Clears an operator policy",
    "Lists operator policy overrides for a virtual host",
    "a regular expression pattern that will be used to match queue, exchanges, etc",
    "policy name (identifier)",
};

namespace {

std::string PolicyPath(const PolicyKind& kind, const Invocation& inv) {
  return kind.api + Seg(inv.vhost) + "/" + Seg(inv.args[0]);
}

}  // namespace

CommandSpec SetPolicyCommand(const PolicyKind& kind) {
  CommandSpec c;
  c.name = std::string("set_") + kind.name_part;
  c.section = "Policies";
  c.description = kind.set_description;
  c.usage =
      "[--vhost <vhost>] [--priority <priority>] [--apply-to <apply-to>] <name> <pattern> "
      "<definition>";
  c.arg_docs = {
      {"<name>", "policy name (identifier)"},
      {"<pattern>", kind.pattern_doc},
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
  c.banner = [&kind](const Invocation& inv) {
    return std::string("Setting ") + kind.set_word + " \"" + inv.args[0] + "\" for pattern \"" +
           inv.args[1] + "\" to \"" + inv.args[2] + "\" with priority \"" +
           inv.flag("priority", "0") + "\" for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [&kind](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json definition, ParseJsonArg(inv.args[2]));
    json body = {{"pattern", inv.args[1]},
                 {"definition", definition},
                 {"priority", std::stoi(inv.flag("priority", "0"))},
                 {"apply-to", inv.flag("apply-to", "all")}};
    return Call(inv, "PUT", PolicyPath(kind, inv), body);
  };
  return c;
}

CommandSpec ClearPolicyCommand(const PolicyKind& kind) {
  CommandSpec c;
  c.name = std::string("clear_") + kind.name_part;
  c.section = "Policies";
  c.description = kind.clear_description;
  c.usage = "[--vhost <vhost>] <name>";
  c.arg_docs = {{"<name>", kind.clear_name_doc}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.banner = [&kind](const Invocation& inv) {
    return std::string("Clearing ") + kind.clear_word + " \"" + inv.args[0] + "\" on vhost \"" +
           inv.vhost + "\" ...";
  };
  c.run = [&kind](Invocation& inv) { return Call(inv, "DELETE", PolicyPath(kind, inv)); };
  return c;
}

CommandSpec ListPoliciesCommand(const PolicyKind& kind) {
  CommandSpec c;
  c.name = std::string("list_") + kind.list_part;
  c.scopes = kCtl | kDiagnostics;
  c.section = "Policies";
  c.description = kind.list_description;
  c.usage = "[--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/parameters.html"};
  c.columns = {"vhost", "name", "pattern", "apply-to", "definition", "priority"};
  c.default_columns = c.columns;
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [&kind](const Invocation& inv) {
    return std::string("Listing ") + kind.list_word + " for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [&kind](Invocation& inv) { return Call(inv, "GET", kind.api + Seg(inv.vhost)); };
  // Definitions show as JSON text, in json output too (policies.txt).
  c.output = [](Invocation& inv, const json& rows) {
    return PrintRowsOrBlank(inv, JsonTextCells(rows, {"definition"}));
  };
  return c;
}

}  // namespace warren::cli::commands
