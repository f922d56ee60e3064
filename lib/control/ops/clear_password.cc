#include "auth/password.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// An empty hash: password login is disabled for the user.
Result<json> ClearPassword(OpContext& ctx, const OpRequest& req) {
  WARREN_TRY(Submit(ctx, {{"op", "user.set_password_hash"},
                          {"name", req.param("name")},
                          {"password_hash", ""},
                          {"hashing_algorithm", auth::kSha256Algorithm}}));
  return Done();
}

}  // namespace warren::control::ops
