#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Path: /api/operator-policies/{vhost}/{name}; see PutPolicy.
Result<json> SetOperatorPolicy(OpContext& ctx, const OpRequest& req) {
  return PutPolicy(ctx, req, policy::Kind::kOperatorPolicy);
}

}  // namespace warren::control::ops
