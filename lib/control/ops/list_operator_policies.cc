#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Paths: /api/operator-policies and /api/operator-policies/{vhost}; see ListPolicyRows.
Result<json> ListOperatorPolicies(OpContext& ctx, const OpRequest& req) {
  return ListPolicyRows(ctx, req, policy::Kind::kOperatorPolicy);
}

}  // namespace warren::control::ops
