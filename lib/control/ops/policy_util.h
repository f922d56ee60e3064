// What the policy and the operator-policy operations share: they differ only in the
// keys a definition may hold and in where the state keeps them. Internal to lib/control.
#pragma once

#include "control/admin.h"
#include "policy/policy.h"

namespace warren::control::ops {

// Rows {vhost, name, pattern, apply-to, definition, priority}: of the vhost in
// params["vhost"] (NotFound(vhost) when it does not exist), or of every vhost when
// there is none; by vhost, then by ascending priority, then by name.
Result<json> ListPolicyRows(OpContext& ctx, const OpRequest& req, policy::Kind kind);

// Path params vhost and name; body {"pattern", "definition", "priority"?, "apply-to"?}.
// Priority defaults to 0 and apply-to to "all". BadInput("Validation failed ...") for
// an invalid policy, then NotFound(vhost) when the vhost does not exist.
Result<json> PutPolicy(OpContext& ctx, const OpRequest& req, policy::Kind kind);

// NotFound "Parameter does not exist" when there is no such policy.
Result<json> DeletePolicy(OpContext& ctx, const OpRequest& req, policy::Kind kind);

}  // namespace warren::control::ops
