#include "auth/permissions.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/permissions/{vhost}/{user}; body {"configure", "write", "read"}, each a
// regular expression. As RabbitMQ does, the patterns are checked first, then the user,
// then the vhost.
Result<json> SetPermissions(OpContext& ctx, const OpRequest& req) {
  const std::string user = req.param("user");
  const std::string vhost = req.param("vhost");
  WARREN_ASSIGN_OR_RETURN(std::string configure, BodyString(req, "configure"));
  WARREN_ASSIGN_OR_RETURN(std::string write, BodyString(req, "write"));
  WARREN_ASSIGN_OR_RETURN(std::string read, BodyString(req, "read"));
  for (const std::string* pattern : {&configure, &write, &read}) {
    Status s = auth::ValidatePermissionPattern(*pattern);
    if (!s.ok()) {
      return Status::BadInput("Failed to set permissions for '" + user + "' in virtual host '" +
                                  vhost + "': " + s.message(),
                              s.subject());
    }
  }
  WARREN_TRY(Submit(ctx, {{"op", "permission.set"},
                          {"user", user},
                          {"vhost", vhost},
                          {"configure", configure},
                          {"write", write},
                          {"read", read}}));
  return Done();
}

}  // namespace warren::control::ops
