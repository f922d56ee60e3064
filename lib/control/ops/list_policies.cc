#include "control/ops/ops.h"
#include "control/ops/policy_util.h"

namespace warren::control::ops {

// Paths: /api/policies and /api/policies/{vhost}; see ListPolicyRows.
Result<json> ListPolicies(OpContext& ctx, const OpRequest& req) {
  return ListPolicyRows(ctx, req, policy::Kind::kPolicy);
}

}  // namespace warren::control::ops
