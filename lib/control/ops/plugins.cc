#include "control/ops/ops.h"

namespace warren::control::ops {

// The plugins directory's plugins, the enabled set, and which run or failed.
Result<json> ListPlugins(OpContext& ctx, const OpRequest&) { return ctx.node.Plugins(); }

// Body {"enabled": [names]}: the explicitly enabled plugins from now on.
Result<json> SetPlugins(OpContext& ctx, const OpRequest& req) {
  if (!req.body.is_object() || !req.body.contains("enabled") || !req.body["enabled"].is_array())
    return Status::BadInput("expected {\"enabled\": [plugin names]}");
  std::vector<std::string> names;
  for (const auto& n : req.body["enabled"]) {
    if (!n.is_string()) return Status::BadInput("plugin names must be strings");
    names.push_back(n.get<std::string>());
  }
  return ctx.node.SetPlugins(names);
}

}  // namespace warren::control::ops
