#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Path: /api/policies/{vhost}/{name}; see DeletePolicy.
Result<json> ClearPolicy(OpContext& ctx, const OpRequest& req) {
  return DeletePolicy(ctx, req, policy::Kind::kPolicy);
}

}  // namespace warren::control::ops
