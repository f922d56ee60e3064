#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Path: /api/policies/{vhost}/{name}; see PutPolicy.
Result<json> SetPolicy(OpContext& ctx, const OpRequest& req) {
  return PutPolicy(ctx, req, policy::Kind::kPolicy);
}

}  // namespace warren::control::ops
