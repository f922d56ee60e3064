#include "auth/password.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Body: {"password": "..."}; the node hashes it (salted SHA-256, as RabbitMQ does).
Result<json> AddUser(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  WARREN_ASSIGN_OR_RETURN(std::string password, BodyString(req, "password"));
  WARREN_TRY(Submit(ctx, {{"op", "user.add"},
                          {"name", name},
                          {"password_hash", auth::HashPassword(password)},
                          {"hashing_algorithm", auth::kSha256Algorithm},
                          {"tags", json::array()}}));
  return Done();
}

}  // namespace warren::control::ops
