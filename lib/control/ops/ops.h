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
WARREN_OP(NodeEnvironment);

// Users.
WARREN_OP(ListUsers);
WARREN_OP(AddUser);
WARREN_OP(DeleteUser);
WARREN_OP(ChangePassword);
WARREN_OP(ClearPassword);
WARREN_OP(AuthenticateUser);
WARREN_OP(SetUserTags);
WARREN_OP(SetUserLimits);
WARREN_OP(ClearUserLimits);
WARREN_OP(ListUserLimits);

// Permissions.
WARREN_OP(SetPermissions);
WARREN_OP(ClearPermissions);
WARREN_OP(ListPermissions);
WARREN_OP(ListUserPermissions);
WARREN_OP(SetTopicPermissions);
WARREN_OP(ClearTopicPermissions);
WARREN_OP(ListTopicPermissions);
WARREN_OP(ListUserTopicPermissions);

// Vhosts.
WARREN_OP(ListVhosts);
WARREN_OP(AddVhost);
WARREN_OP(DeleteVhost);
WARREN_OP(SetVhostTags);
WARREN_OP(SetVhostTracing);
WARREN_OP(ListVhostLimits);
WARREN_OP(SetVhostLimits);
WARREN_OP(ClearVhostLimits);

// Policies.
WARREN_OP(ListPolicies);
WARREN_OP(SetPolicy);
WARREN_OP(ClearPolicy);
WARREN_OP(ListOperatorPolicies);
WARREN_OP(SetOperatorPolicy);
WARREN_OP(ClearOperatorPolicy);

// Parameters.
WARREN_OP(ListParameters);
WARREN_OP(SetParameter);
WARREN_OP(ClearParameter);
WARREN_OP(ListGlobalParameters);
WARREN_OP(SetGlobalParameter);
WARREN_OP(ClearGlobalParameter);

// Diagnostics.
WARREN_OP(NodeAlarms);
WARREN_OP(NodeListeners);
WARREN_OP(NodeMemory);
WARREN_OP(NodeLogTail);
WARREN_OP(NodeLogLocation);
WARREN_OP(CheckVirtualHosts);
WARREN_OP(ClusterStatus);
WARREN_OP(JoinCluster);
WARREN_OP(ForgetClusterNode);
WARREN_OP(ForceBoot);
WARREN_OP(UpdateClusterNodes);
WARREN_OP(ChangeClusterNodeType);

// Plugins.
WARREN_OP(ListPlugins);
WARREN_OP(SetPlugins);

// Definitions.
WARREN_OP(ExportDefinitions);
WARREN_OP(ImportDefinitions);

// Provisioning.
WARREN_OP(ApplyProvision);

// The AMQP engine: queues, exchanges, bindings, connections, channels, consumers.
WARREN_OP(ListQueues);
WARREN_OP(ListExchanges);
WARREN_OP(ListBindings);
WARREN_OP(ListConnections);
WARREN_OP(ListChannels);
WARREN_OP(ListConsumers);
WARREN_OP(ListUnresponsiveQueues);
WARREN_OP(PurgeQueue);
WARREN_OP(DeleteQueue);
WARREN_OP(CloseConnection);
WARREN_OP(CloseAllConnections);
WARREN_OP(DeclareQueue);
WARREN_OP(DeclareExchange);
WARREN_OP(DeleteExchange);
WARREN_OP(Bind);
WARREN_OP(Unbind);
WARREN_OP(Publish);
WARREN_OP(GetMessages);

#undef WARREN_OP

}  // namespace warren::control::ops
