#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/vhosts/{name}; body {"description"?, "tags"?: [..], "default_queue_type"?}.
// Adding a vhost that exists changes nothing and succeeds, as in RabbitMQ 3.10.
Result<json> AddVhost(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  if (name.empty()) return Status::BadInput("a virtual host name must not be empty");
  json command = {{"op", "vhost.add"},
                  {"name", name},
                  {"description", BodyStringOr(req, "description", "")}};
  if (req.body.is_object() && req.body.contains("tags")) {
    const json& tags = req.body["tags"];
    if (!tags.is_array() && !tags.is_string() && !tags.is_null())
      return Status::BadInput("request field 'tags' must be a list of strings");
    command["tags"] = tags;
  } else {
    command["tags"] = json::array();
  }
  const std::string dqt = BodyStringOr(req, "default_queue_type", "");
  if (!dqt.empty()) {
    if (dqt != "classic" && dqt != "quorum" && dqt != "stream")
      return Status::BadInput(dqt + " is not a valid queue type");
    command["default_queue_type"] = dqt;
  }
  WARREN_TRY(Submit(ctx, command));
  return Done();
}

}  // namespace warren::control::ops
