#include "auth/password.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Body: {"password": "..."}; stored as a new salted hash. A blank password is allowed
// (as in RabbitMQ) and simply cannot log in.
Result<json> ChangePassword(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(std::string password, BodyString(req, "password"));
  WARREN_TRY(Submit(ctx, {{"op", "user.set_password_hash"},
                          {"name", req.param("name")},
                          {"password_hash", auth::HashPassword(password)},
                          {"hashing_algorithm", auth::kSha256Algorithm}}));
  return Done();
}

}  // namespace warren::control::ops
