#include "base/node_env.h"
#include "base/version.h"
#include "cluster/cluster.h"
#include "control/ops/node_info.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control {

json PeerFacts(NodeApi& node) {
  json members = json::array();
  if (auto* c = node.cluster())
    for (const auto& m : c->Members()) members.push_back(m.node);
  return json{{"node", node.env().node.full()},
              {"app_running", node.app_state() == AppState::kRunning},
              {"listeners", ops::ListenersJson(node)},
              {"alarms", ops::AlarmsJson(node)},
              {"members", members},
              {"rabbitmq_version", kRabbitmqCompatVersion},
              {"warren_version", kVersion}};
}

namespace ops {

// The document `rabbitmqctl cluster_status --formatter json` prints
// (shared/reference/rabbitmq-3.10.8/cluster.txt). Members come from the replicated
// state; what only a running member can tell (listeners, versions, alarms,
// maintenance) comes from the members whose app answers, as RabbitMQ shows it.
Result<json> ClusterStatus(OpContext& ctx, const OpRequest&) {
  // As RabbitMQ: the cluster_name global parameter, else the configured cluster_name,
  // else <node name>@<this host's short name>.
  std::string cluster_name = ctx.node.env().node.name + "@" + ShortHostname();
  const json settings = ctx.node.config();
  if (settings.contains("cluster_name") && settings["cluster_name"].is_string())
    cluster_name = settings["cluster_name"].get<std::string>();
  const auto& globals = State(ctx).global_parameters();
  if (auto it = globals.find("cluster_name"); it != globals.end() && it->second.is_string())
    cluster_name = it->second.get<std::string>();

  json disk = json::array(), ram = json::array();
  json facts = json::object();
  if (auto* c = ctx.node.cluster()) {
    for (const auto& m : c->Members())
      (m.type == cluster::NodeType::kRam ? ram : disk).push_back(m.node);
    facts = c->Survey(std::chrono::seconds(2));
  } else {
    disk.push_back(ctx.node.env().node.full());
    facts[ctx.node.env().node.full()] = PeerFacts(ctx.node);
  }
  json running = json::array(), listeners = json::object(), alarms = json::array(),
       maintenance = json::object(), versions = json::object(), partitions = json::object();
  for (const auto& [node, f] : facts.items()) {
    // This node's view: the members it cannot reach although they may be running.
    if (f.value("unreachable", false)) partitions[ctx.node.env().node.full()].push_back(node);
    if (!f.value("app_running", false)) continue;
    running.push_back(node);
    listeners[node] = f.value("listeners", json::array());
    for (const auto& a : f.value("alarms", json::array())) alarms.push_back(a);
    maintenance[node] = "not under maintenance";
    versions[node] = {{"rabbitmq_name", "RabbitMQ"},
                      {"rabbitmq_version", f.value("rabbitmq_version", "")},
                      {"warren_version", f.value("warren_version", "")}};
  }
  return json{
      {"alarms", alarms},
      {"cluster_name", cluster_name},
      {"disk_nodes", disk},
      {"feature_flags", json::array()},
      {"listeners", listeners},
      {"maintenance_status", maintenance},
      {"partitions", partitions},
      {"ram_nodes", ram},
      {"running_nodes", running},
      {"versions", versions},
  };
}

}  // namespace ops
}  // namespace warren::control
