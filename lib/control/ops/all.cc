// The operation table: every admin operation, its route, the user tag the management
// door requires for it and the app state it needs. Both doors dispatch from here.
#include "control/admin.h"
#include "control/ops/ops.h"

namespace warren::control {

const std::vector<Operation>& Operations() {
  using enum Tag;
  using enum AppNeed;
  static const std::vector<Operation> kOps = {
      // Node lifecycle.
      {"node_state", "GET", "/api/node/state", kMonitoring, kAny, ops::NodeState},
      {"status", "GET", "/api/node/status", kMonitoring, kRunning, ops::NodeStatus},
      {"stop", "POST", "/api/node/stop", kAdministrator, kAny, ops::NodeStop},
      {"stop_app", "POST", "/api/node/stop_app", kAdministrator, kAny, ops::StopApp},
      {"start_app", "POST", "/api/node/start_app", kAdministrator, kAny, ops::StartApp},
      {"reset", "POST", "/api/node/reset", kAdministrator, kStopped, ops::ResetNode},

      // Users.
      {"list_users", "GET", "/api/users", kAdministrator, kRunning, ops::ListUsers},
      {"add_user", "POST", "/api/users/{name}", kAdministrator, kRunning, ops::AddUser},

      // Permissions.

      // Vhosts.

      // Policies.

      // Parameters.

      // Diagnostics.

      // Definitions.

      // Provisioning.
  };
  return kOps;
}

}  // namespace warren::control
