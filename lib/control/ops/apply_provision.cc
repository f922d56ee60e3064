#include "control/ops/ops.h"
#include "control/ops/util.h"
#include "provision/provision.h"

namespace warren::control::ops {
namespace {

Result<bool> BodyBool(const OpRequest& req, const char* key) {
  if (!req.body.is_object() || !req.body.contains(key)) return false;
  if (!req.body[key].is_boolean())
    return Status::BadInput(std::string("request field '") + key + "' must be a boolean");
  return req.body[key].get<bool>();
}

}  // namespace

// Body: {"file": name for messages, "text": the YAML, "dry_run": bool, "prune": bool}.
// Plans the changes that make the node match the file and, unless it is a dry run,
// applies them as one all-or-nothing batch. The node parses the YAML, so the CLI needs
// no YAML library.
Result<json> ApplyProvision(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string text, BodyString(req, "text"));
  WARREN_ASSIGN_OR_RETURN(bool dry_run, BodyBool(req, "dry_run"));
  provision::PlanOptions options;
  options.file_name = BodyStringOr(req, "file", "<stdin>");
  WARREN_ASSIGN_OR_RETURN(options.prune, BodyBool(req, "prune"));
  WARREN_ASSIGN_OR_RETURN(std::vector<provision::Change> plan,
                          provision::Plan(State(ctx), text, options));
  json changes = json::array();
  std::vector<json> commands;
  for (auto& c : plan) {
    changes.push_back({{"action", std::string(1, c.action)}, {"kind", c.kind}, {"name", c.name}});
    commands.push_back(std::move(c.command));
  }
  const bool apply = !dry_run && !commands.empty();
  if (apply) WARREN_TRY(SubmitBatch(ctx, std::move(commands)));
  return json{{"file", options.file_name},
              {"dry_run", dry_run},
              {"prune", options.prune},
              {"changes", changes},
              {"applied", apply}};
}

}  // namespace warren::control::ops
