#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Removes the user with its permissions and topic permissions.
Result<json> DeleteUser(OpContext& ctx, const OpRequest& req) {
  WARREN_TRY(Submit(ctx, {{"op", "user.delete"}, {"name", req.param("name")}}));
  return Done();
}

}  // namespace warren::control::ops
