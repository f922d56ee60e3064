#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{name}/tags; body {"tags": ["a", "b"]} replaces the vhost's tags.
Result<json> SetVhostTags(OpContext& ctx, const OpRequest& req) {
  if (!req.body.is_object() || !req.body.contains("tags") || !req.body["tags"].is_array())
    return Status::BadInput("request field 'tags' must be a list of strings");
  WARREN_TRY(
      Submit(ctx, {{"op", "vhost.set_tags"}, {"name", req.param("name")}, {"tags", req.body["tags"]}}));
  return Done();
}

}  // namespace warren::control::ops
