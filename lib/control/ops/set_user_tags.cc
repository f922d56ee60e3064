#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Body: {"tags": ["administrator", ...]}; replaces the user's tags (an empty list
// clears them). Tags are kept in the order given, surrounding blanks trimmed.
Result<json> SetUserTags(OpContext& ctx, const OpRequest& req) {
  if (!req.body.is_object() || !req.body.contains("tags") || !req.body["tags"].is_array())
    return Status::BadInput("request field 'tags' must be a list of strings");
  json tags = json::array();
  for (const json& t : req.body["tags"]) {
    if (!t.is_string()) return Status::BadInput("request field 'tags' must be a list of strings");
    std::string tag = t.get<std::string>();
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (!tag.empty()) tags.push_back(tag);
  }
  WARREN_TRY(Submit(ctx, {{"op", "user.set_tags"}, {"name", req.param("name")}, {"tags", tags}}));
  return Done();
}

}  // namespace warren::control::ops
