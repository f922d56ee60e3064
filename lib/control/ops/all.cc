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
      {"environment", "GET", "/api/node/environment", kAdministrator, kAny, ops::NodeEnvironment},
      // The CLI's app-state check before a command's banner (NeedsApp in cli/command.h):
      // the table's own check answers, in its words.
      {"require_running", "GET", "/api/node/require/running", kMonitoring, kRunning,
       ops::NodeState},
      {"require_stopped", "GET", "/api/node/require/stopped", kMonitoring, kStopped,
       ops::NodeState},

      // Users.
      {"list_users", "GET", "/api/users", kAdministrator, kRunning, ops::ListUsers},
      {"add_user", "POST", "/api/users/{name}", kAdministrator, kRunning, ops::AddUser},
      {"delete_user", "DELETE", "/api/users/{name}", kAdministrator, kRunning, ops::DeleteUser},
      {"change_password", "PUT", "/api/users/{name}/password", kAdministrator, kRunning,
       ops::ChangePassword},
      {"clear_password", "DELETE", "/api/users/{name}/password", kAdministrator, kRunning,
       ops::ClearPassword},
      {"authenticate_user", "POST", "/api/users/{name}/authenticate", kAdministrator, kRunning,
       ops::AuthenticateUser},
      {"set_user_tags", "PUT", "/api/users/{name}/tags", kAdministrator, kRunning,
       ops::SetUserTags},
      {"set_user_limits", "PUT", "/api/user-limits/{name}", kAdministrator, kRunning,
       ops::SetUserLimits},
      {"clear_user_limits", "DELETE", "/api/user-limits/{name}/{limit}", kAdministrator,
       kRunning, ops::ClearUserLimits},
      {"list_user_limits", "GET", "/api/user-limits", kAdministrator, kRunning,
       ops::ListUserLimits},

      // Permissions.
      {"set_permissions", "PUT", "/api/permissions/{vhost}/{user}", kAdministrator, kRunning,
       ops::SetPermissions},
      {"clear_permissions", "DELETE", "/api/permissions/{vhost}/{user}", kAdministrator,
       kRunning, ops::ClearPermissions},
      {"list_permissions", "GET", "/api/vhosts/{vhost}/permissions", kAdministrator, kRunning,
       ops::ListPermissions},
      {"list_user_permissions", "GET", "/api/users/{name}/permissions", kAdministrator,
       kRunning, ops::ListUserPermissions},
      {"set_topic_permissions", "PUT", "/api/topic-permissions/{vhost}/{user}", kAdministrator,
       kRunning, ops::SetTopicPermissions},
      {"clear_topic_permissions", "DELETE", "/api/topic-permissions/{vhost}/{user}",
       kAdministrator, kRunning, ops::ClearTopicPermissions},
      {"list_topic_permissions", "GET", "/api/vhosts/{vhost}/topic-permissions", kAdministrator,
       kRunning, ops::ListTopicPermissions},
      {"list_user_topic_permissions", "GET", "/api/users/{name}/topic-permissions",
       kAdministrator, kRunning, ops::ListUserTopicPermissions},

      // Vhosts.
      {"list_vhosts", "GET", "/api/vhosts", kManagement, kRunning, ops::ListVhosts},
      {"add_vhost", "POST", "/api/vhosts/{name}", kAdministrator, kRunning, ops::AddVhost},
      {"delete_vhost", "DELETE", "/api/vhosts/{name}", kAdministrator, kRunning, ops::DeleteVhost},
      {"set_vhost_tags", "PUT", "/api/vhosts/{name}/tags", kAdministrator, kRunning,
       ops::SetVhostTags},
      {"set_vhost_tracing", "PUT", "/api/vhosts/{name}/tracing", kAdministrator, kRunning,
       ops::SetVhostTracing},
      {"list_vhost_limits", "GET", "/api/vhost-limits", kAdministrator, kRunning,
       ops::ListVhostLimits},
      {"list_vhost_limits", "GET", "/api/vhost-limits/{vhost}", kAdministrator, kRunning,
       ops::ListVhostLimits},
      {"set_vhost_limits", "PUT", "/api/vhost-limits/{vhost}", kAdministrator, kRunning,
       ops::SetVhostLimits},
      {"clear_vhost_limits", "DELETE", "/api/vhost-limits/{vhost}", kAdministrator, kRunning,
       ops::ClearVhostLimits},

      // Policies.
      {"list_policies", "GET", "/api/policies", kPolicymaker, kRunning, ops::ListPolicies},
      {"list_policies", "GET", "/api/policies/{vhost}", kPolicymaker, kRunning, ops::ListPolicies},
      {"set_policy", "PUT", "/api/policies/{vhost}/{name}", kPolicymaker, kRunning, ops::SetPolicy},
      {"clear_policy", "DELETE", "/api/policies/{vhost}/{name}", kPolicymaker, kRunning,
       ops::ClearPolicy},
      {"list_operator_policies", "GET", "/api/operator-policies", kAdministrator, kRunning,
       ops::ListOperatorPolicies},
      {"list_operator_policies", "GET", "/api/operator-policies/{vhost}", kAdministrator, kRunning,
       ops::ListOperatorPolicies},
      {"set_operator_policy", "PUT", "/api/operator-policies/{vhost}/{name}", kAdministrator,
       kRunning, ops::SetOperatorPolicy},
      {"clear_operator_policy", "DELETE", "/api/operator-policies/{vhost}/{name}", kAdministrator,
       kRunning, ops::ClearOperatorPolicy},

      // Parameters.
      {"list_parameters", "GET", "/api/parameters", kPolicymaker, kRunning, ops::ListParameters},
      {"list_parameters", "GET", "/api/parameters/{component}", kPolicymaker, kRunning,
       ops::ListParameters},
      {"list_parameters", "GET", "/api/parameters/{component}/{vhost}", kPolicymaker, kRunning,
       ops::ListParameters},
      {"set_parameter", "PUT", "/api/parameters/{component}/{vhost}/{name}", kPolicymaker,
       kRunning, ops::SetParameter},
      {"clear_parameter", "DELETE", "/api/parameters/{component}/{vhost}/{name}", kPolicymaker,
       kRunning, ops::ClearParameter},
      {"list_global_parameters", "GET", "/api/global-parameters", kAdministrator, kRunning,
       ops::ListGlobalParameters},
      {"set_global_parameter", "PUT", "/api/global-parameters/{name}", kAdministrator, kRunning,
       ops::SetGlobalParameter},
      {"clear_global_parameter", "DELETE", "/api/global-parameters/{name}", kAdministrator,
       kRunning, ops::ClearGlobalParameter},

      // Diagnostics.
      {"alarms", "GET", "/api/node/alarms", kMonitoring, kRunning, ops::NodeAlarms},
      {"listeners", "GET", "/api/node/listeners", kMonitoring, kRunning, ops::NodeListeners},
      {"memory_breakdown", "GET", "/api/node/memory", kMonitoring, kRunning, ops::NodeMemory},
      {"log_tail", "GET", "/api/node/log", kMonitoring, kAny, ops::NodeLogTail},
      {"log_location", "GET", "/api/node/log/location", kMonitoring, kAny, ops::NodeLogLocation},
      {"check_virtual_hosts", "GET", "/api/node/vhosts-check", kMonitoring, kRunning,
       ops::CheckVirtualHosts},
      {"join_cluster", "POST", "/api/node/join-cluster", kAdministrator, kStopped,
       ops::JoinCluster},
      {"change_cluster_node_type", "POST", "/api/node/cluster-node-type", kAdministrator, kStopped,
       ops::ChangeClusterNodeType},
      {"forget_cluster_node", "POST", "/api/node/forget-cluster-node", kAdministrator, kAny,
       ops::ForgetClusterNode},
      {"update_cluster_nodes", "POST", "/api/node/update-cluster-nodes", kAdministrator, kStopped,
       ops::UpdateClusterNodes},
      {"force_boot", "POST", "/api/node/force-boot", kAdministrator, kNotRunning,
       ops::ForceBoot},
      {"cluster_status", "GET", "/api/node/cluster-status", kMonitoring, kRunning,
       ops::ClusterStatus},

      // Plugins: they run whether or not the app does.
      {"list_plugins", "GET", "/api/plugins", kMonitoring, kAny, ops::ListPlugins},
      {"set_plugins", "PUT", "/api/plugins", kAdministrator, kAny, ops::SetPlugins},

      // Definitions.
      {"export_definitions", "GET", "/api/definitions", kAdministrator, kRunning,
       ops::ExportDefinitions},
      {"import_definitions", "POST", "/api/definitions", kAdministrator, kRunning,
       ops::ImportDefinitions},

      // Provisioning.
      {"apply", "POST", "/api/provision", kAdministrator, kRunning, ops::ApplyProvision},

      // The AMQP engine. Specific paths come before the {name} patterns they overlap.
      {"list_unresponsive_queues", "GET", "/api/queues/{vhost}/unresponsive", kMonitoring,
       kRunning, ops::ListUnresponsiveQueues},
      {"list_queues", "GET", "/api/queues/{vhost}", kManagement, kRunning, ops::ListQueues},
      {"declare_queue", "PUT", "/api/queues/{vhost}/{name}", kManagement, kRunning,
       ops::DeclareQueue},
      {"delete_queue", "DELETE", "/api/queues/{vhost}/{name}", kManagement, kRunning,
       ops::DeleteQueue},
      {"purge_queue", "DELETE", "/api/queues/{vhost}/{name}/contents", kManagement, kRunning,
       ops::PurgeQueue},
      {"get", "POST", "/api/queues/{vhost}/{name}/get", kManagement, kRunning,
       ops::GetMessages},
      {"list_exchanges", "GET", "/api/exchanges/{vhost}", kManagement, kRunning,
       ops::ListExchanges},
      {"declare_exchange", "PUT", "/api/exchanges/{vhost}/{name}", kManagement, kRunning,
       ops::DeclareExchange},
      {"delete_exchange", "DELETE", "/api/exchanges/{vhost}/{name}", kManagement, kRunning,
       ops::DeleteExchange},
      {"publish", "POST", "/api/exchanges/{vhost}/{name}/publish", kManagement, kRunning,
       ops::Publish},
      {"list_bindings", "GET", "/api/bindings/{vhost}", kManagement, kRunning, ops::ListBindings},
      {"bind", "POST", "/api/bindings/{vhost}", kManagement, kRunning, ops::Bind},
      {"unbind", "POST", "/api/bindings/{vhost}/unbind", kManagement, kRunning, ops::Unbind},
      {"list_consumers", "GET", "/api/consumers/{vhost}", kManagement, kRunning,
       ops::ListConsumers},
      {"list_channels", "GET", "/api/channels", kManagement, kRunning, ops::ListChannels},
      {"close_all_connections", "POST", "/api/connections/close", kAdministrator, kRunning,
       ops::CloseAllConnections},
      {"list_connections", "GET", "/api/connections", kManagement, kRunning,
       ops::ListConnections},
      {"close_connection", "DELETE", "/api/connections/{name}", kAdministrator, kRunning,
       ops::CloseConnection},
  };
  return kOps;
}

}  // namespace warren::control
