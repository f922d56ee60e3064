// The command registry: every command, listed explicitly (static self-registration
// vanishes when linking static libraries). A unit test checks each file is listed here.
#include <algorithm>

#include "cli/cli.h"
#include "cli/commands/commands.h"

namespace warren::cli {

const std::vector<CommandSpec>& Commands() {
  using namespace commands;
  static const std::vector<CommandSpec> kCommands = [] {
    std::vector<CommandSpec> v = {
        // Help.
        Help(),
        Version(),
        // Nodes.
        Stop(),
        StopApp(),
        StartApp(),
        Reset(),
        ForceReset(),
        AwaitStartup(),
        Shutdown(),
        Wait(),
        NodeStatus(),
        Environment(),
        // Users.
        AddUser(),
        ListUsers(),
        DeleteUser(),
        ChangePassword(),
        ClearPassword(),
        AuthenticateUser(),
        SetUserTags(),
        HashPassword(),
        SetUserLimits(),
        ClearUserLimits(),
        ListUserLimits(),
        // Permissions.
        SetPermissions(),
        ClearPermissions(),
        ListPermissions(),
        ListUserPermissions(),
        SetTopicPermissions(),
        ClearTopicPermissions(),
        ListTopicPermissions(),
        ListUserTopicPermissions(),
        // Vhosts.
        AddVhost(),
        DeleteVhost(),
        ListVhosts(),
        SetVhostTags(),
        TraceOn(),
        TraceOff(),
        SetVhostLimits(),
        ClearVhostLimits(),
        ListVhostLimits(),
        // Policies.
        SetPolicy(),
        ClearPolicy(),
        ListPolicies(),
        SetOperatorPolicy(),
        ClearOperatorPolicy(),
        ListOperatorPolicies(),
        // Parameters.
        SetParameter(),
        ClearParameter(),
        ListParameters(),
        SetGlobalParameter(),
        ClearGlobalParameter(),
        ListGlobalParameters(),
        // Diagnostics.
        Ping(),
        CheckRunning(),
        IsRunning(),
        IsBooting(),
        Alarms(),
        CheckAlarms(),
        CheckLocalAlarms(),
        Listeners(),
        CheckPortConnectivity(),
        CheckPortListener(),
        CheckProtocolListener(),
        CheckVirtualHosts(),
        ServerVersion(),
        MemoryBreakdown(),
        LogTail(),
        LogLocation(),
        ClusterStatus(),
        JoinCluster(),
        ForgetClusterNode(),
        ChangeClusterNodeType(),
        ForceBoot(),
        UpdateClusterNodes(),
        SetClusterName(),
        AwaitOnlineNodes(),
        // Definitions.
        ExportDefinitions(),
        ImportDefinitions(),
        // Provisioning.
        Apply(),
        // The AMQP engine.
        ListQueues(),
        ListExchanges(),
        ListBindings(),
        ListConnections(),
        ListChannels(),
        ListConsumers(),
        ListUnresponsiveQueues(),
        PurgeQueue(),
        DeleteQueue(),
        CloseConnection(),
        CloseAllConnections(),
        DeclareQueue(),
        DeclareExchange(),
        DeleteExchange(),
        Bind(),
        Unbind(),
        Publish(),
        Get(),
        // Plugins.
        PluginsList(),
        PluginsEnable(),
        PluginsDisable(),
        PluginsSet(),
        PluginsIsEnabled(),
        PluginsDirectories(),
    };
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return v;
  }();
  return kCommands;
}

const CommandSpec* FindCommand(const std::string& name, Scope scope) {
  for (const auto& c : Commands())
    if (c.name == name && (c.scopes & scope)) return &c;
  return nullptr;
}

const std::vector<std::string>& Sections() {
  static const std::vector<std::string> kSections = {
      "Help", "Nodes", "Cluster", "Replication", "Users", "Access Control",
      "Monitoring, observability and health checks", "Parameters", "Policies",
      "Virtual hosts", "Configuration and Environment", "Definitions", "Feature flags",
      "Operations", "Queues", "Plugin Management", "Provisioning", "Deprecated"};
  return kSections;
}

std::string WarrenToolName(Scope scope) {
  switch (scope) {
    case kCtl: return "warrenctl";
    case kPlugins: return "warren-plugins";
    case kDiagnostics: return "warren-diagnostics";
  }
  return "warrenctl";
}

}  // namespace warren::cli
