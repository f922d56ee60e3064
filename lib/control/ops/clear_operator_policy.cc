#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Path: /api/operator-policies/{vhost}/{name}; see DeletePolicy.
Result<json> ClearOperatorPolicy(OpContext& ctx, const OpRequest& req) {
  return DeletePolicy(ctx, req, policy::Kind::kOperatorPolicy);
}

}  // namespace warren::control::ops
