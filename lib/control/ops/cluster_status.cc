#include "base/node_env.h"
#include "base/version.h"
#include "control/ops/node_info.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// The document `rabbitmqctl cluster_status --formatter json` prints
// (shared/reference/rabbitmq-3.10.8/cluster.txt). A warren node is its own cluster until
// clustering lands: one disk node, running, with its own listeners and alarms.
Result<json> ClusterStatus(OpContext& ctx, const OpRequest&) {
  const std::string self = ctx.node.env().node.full();
  // As RabbitMQ: the cluster_name global parameter, else the configured cluster_name,
  // else <node name>@<this host's short name>.
  std::string cluster_name = ctx.node.env().node.name + "@" + ShortHostname();
  const json settings = ctx.node.config();
  if (settings.contains("cluster_name") && settings["cluster_name"].is_string())
    cluster_name = settings["cluster_name"].get<std::string>();
  const auto& globals = State(ctx).global_parameters();
  if (auto it = globals.find("cluster_name"); it != globals.end() && it->second.is_string())
    cluster_name = it->second.get<std::string>();

  return json{
      {"alarms", AlarmsJson(ctx.node)},
      {"cluster_name", cluster_name},
      {"disk_nodes", json::array({self})},
      {"feature_flags", json::array()},
      {"listeners", {{self, ListenersJson(ctx.node)}}},
      {"maintenance_status", {{self, "not under maintenance"}}},
      {"partitions", json::object()},
      {"ram_nodes", json::array()},
      {"running_nodes", json::array({self})},
      {"versions",
       {{self,
         {{"rabbitmq_name", "RabbitMQ"},
          {"rabbitmq_version", kRabbitmqCompatVersion},
          {"warren_version", kVersion}}}}},
  };
}

}  // namespace warren::control::ops
