#include "auth/permissions.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/topic-permissions/{vhost}/{user}; body {"exchange", "write", "read"}, the
// last two regular expressions over routing keys. Patterns first, then user, then vhost.
Result<json> SetTopicPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string user = req.param("user");
  const std::string vhost = req.param("vhost");
  WARREN_ASSIGN_OR_RETURN(std::string exchange, BodyString(req, "exchange"));
  WARREN_ASSIGN_OR_RETURN(std::string write, BodyString(req, "write"));
  WARREN_ASSIGN_OR_RETURN(std::string read, BodyString(req, "read"));
  if (exchange.empty()) return Status::BadInput("the exchange name must not be empty");
  for (const std::string* pattern : {&write, &read}) {
    Status s = auth::ValidateTopicPattern(*pattern);
    if (!s.ok()) {
      return Status::BadInput("Failed to set topic permissions on exchange '" + exchange +
                                  "' for '" + user + "' in virtual host '" + vhost +
                                  "': " + s.message(),
                              s.subject());
    }
  }
  WARREN_TRY(Submit(ctx, {{"op", "topic_permission.set"},
                          {"user", user},
                          {"vhost", vhost},
                          {"exchange", exchange},
                          {"write", write},
                          {"read", read}}));
  return Done();
}

}  // namespace warren::control::ops
