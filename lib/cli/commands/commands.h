// Every CLI command's spec factory; one per file in this folder, all listed in all.cc.
#pragma once

#include "cli/command.h"

namespace warren::cli::commands {

// Help.
CommandSpec Help();
CommandSpec Version();

// Nodes.
CommandSpec Stop();
CommandSpec StopApp();
CommandSpec StartApp();
CommandSpec Reset();
CommandSpec ForceReset();
CommandSpec AwaitStartup();
CommandSpec Shutdown();
CommandSpec Wait();
CommandSpec NodeStatus();  // `status`; Status names the error type
CommandSpec Environment();

// Users.
CommandSpec AddUser();
CommandSpec ListUsers();
CommandSpec DeleteUser();
CommandSpec ChangePassword();
CommandSpec ClearPassword();
CommandSpec AuthenticateUser();
CommandSpec SetUserTags();
CommandSpec HashPassword();
CommandSpec SetUserLimits();
CommandSpec ClearUserLimits();
CommandSpec ListUserLimits();

// Permissions.
CommandSpec SetPermissions();
CommandSpec ClearPermissions();
CommandSpec ListPermissions();
CommandSpec ListUserPermissions();
CommandSpec SetTopicPermissions();
CommandSpec ClearTopicPermissions();
CommandSpec ListTopicPermissions();
CommandSpec ListUserTopicPermissions();

// Vhosts.
CommandSpec AddVhost();
CommandSpec DeleteVhost();
CommandSpec ListVhosts();
CommandSpec SetVhostTags();
CommandSpec TraceOn();
CommandSpec TraceOff();
CommandSpec SetVhostLimits();
CommandSpec ClearVhostLimits();
CommandSpec ListVhostLimits();

// Policies.
CommandSpec SetPolicy();
CommandSpec ClearPolicy();
CommandSpec ListPolicies();
CommandSpec SetOperatorPolicy();
CommandSpec ClearOperatorPolicy();
CommandSpec ListOperatorPolicies();

// Parameters.
CommandSpec SetParameter();
CommandSpec ClearParameter();
CommandSpec ListParameters();
CommandSpec SetGlobalParameter();
CommandSpec ClearGlobalParameter();
CommandSpec ListGlobalParameters();

// Diagnostics.
CommandSpec Ping();
CommandSpec CheckRunning();
CommandSpec IsRunning();
CommandSpec IsBooting();
CommandSpec Alarms();
CommandSpec CheckAlarms();
CommandSpec CheckLocalAlarms();
CommandSpec Listeners();
CommandSpec CheckPortConnectivity();
CommandSpec CheckPortListener();
CommandSpec CheckProtocolListener();
CommandSpec CheckVirtualHosts();
CommandSpec ServerVersion();
CommandSpec MemoryBreakdown();
CommandSpec LogTail();
CommandSpec LogLocation();
CommandSpec ClusterStatus();
CommandSpec JoinCluster();
CommandSpec ForgetClusterNode();
CommandSpec ChangeClusterNodeType();
CommandSpec ForceBoot();
CommandSpec UpdateClusterNodes();
CommandSpec SetClusterName();
CommandSpec AwaitOnlineNodes();

// Definitions.
CommandSpec ExportDefinitions();
CommandSpec ImportDefinitions();

// Provisioning.
CommandSpec Apply();

// The AMQP engine: queues, exchanges, bindings, connections, channels, consumers.
CommandSpec ListQueues();
CommandSpec ListExchanges();
CommandSpec ListBindings();
CommandSpec ListConnections();
CommandSpec ListChannels();
CommandSpec ListConsumers();
CommandSpec ListUnresponsiveQueues();
CommandSpec PurgeQueue();
CommandSpec DeleteQueue();
CommandSpec CloseConnection();
CommandSpec CloseAllConnections();
CommandSpec DeclareQueue();
CommandSpec DeclareExchange();
CommandSpec DeleteExchange();
CommandSpec Bind();
CommandSpec Unbind();
CommandSpec Publish();
CommandSpec Get();

// Plugins (warren-plugins).
CommandSpec PluginsList();
CommandSpec PluginsEnable();
CommandSpec PluginsDisable();
CommandSpec PluginsSet();
CommandSpec PluginsIsEnabled();
CommandSpec PluginsDirectories();

}  // namespace warren::cli::commands
