// Declarations of every admin operation handler; one definition per file in this
// folder, listed in the table in all.cc. Internal to lib/control.
#pragma once

#include "control/admin.h"

namespace warren::control::ops {

#define WARREN_OP(name) Result<json> name(OpContext& ctx, const OpRequest& req)

// Node lifecycle.
WARREN_OP(NodeState);
WARREN_OP(NodeStatus);
WARREN_OP(NodeStop);
WARREN_OP(StopApp);
WARREN_OP(StartApp);
WARREN_OP(ResetNode);

// Users.
WARREN_OP(ListUsers);
WARREN_OP(AddUser);

// Permissions.

// Vhosts.

// Policies.

// Parameters.

// Diagnostics.

// Definitions.

// Provisioning.

#undef WARREN_OP

}  // namespace warren::control::ops
