#include "control/ops/node_info.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// The document `rabbitmqctl status --formatter json` prints, with warren's facts where
// RabbitMQ reports Erlang ones: threads for Erlang processes, the runtime line for the
// Erlang configuration, the metadata log for the Raft directory
// (shared/reference/rabbitmq-3.10.8/lifecycle.txt).
namespace {

json RunningPlugins(NodeApi& node) {
  const json p = node.Plugins();
  return p.contains("running") ? p["running"] : json::array();
}

// Seconds, as a number: the setting's value is text in the effective configuration.
json NetTicktime(const json& settings) {
  const json v = settings.value("net_ticktime", json());
  if (v.is_number()) return v;
  if (v.is_string() && !v.get<std::string>().empty() &&
      v.get<std::string>().find_first_not_of("0123456789") == std::string::npos)
    return std::stoull(v.get<std::string>());
  return v;
}

}  // namespace

Result<json> NodeStatus(OpContext& ctx, const OpRequest&) {
  const json f = ctx.node.facts();
  const json& mem = f["memory"];
  json memory = json::object();
  for (const auto& pair : mem["breakdown"]) memory[pair[0].get<std::string>()] = pair[1];
  memory["strategy"] = mem["strategy"];
  memory["total"] = {{"rss", mem["rss"]}, {"allocated", mem["allocated"]}, {"used", mem["used"]}};

  const json definitions = State(ctx).ToDefinitions();
  return json{
      {"active_plugins", RunningPlugins(ctx.node)},
      {"alarms", AlarmsJson(ctx.node)},
      {"config_files", f["config_files"]},
      {"crypto_lib_version", f["crypto_lib"]},
      {"data_directory", f["data_dir"]},
      {"disk_free", f["disk"]["free"]},
      {"disk_free_limit", f["disk"]["limit"]},
      {"enabled_plugin_file", f["enabled_plugins_file"]},
      {"file_descriptors",
       {{"sockets_limit", f["file_descriptors"]["sockets_limit"]},
        {"sockets_used", f["file_descriptors"]["sockets_used"]},
        {"total_limit", f["file_descriptors"]["limit"]},
        {"total_used", f["file_descriptors"]["used"]}}},
      {"is_under_maintenance", false},
      {"listeners", ListenersJson(ctx.node)},
      {"log_files", json::array({f["log_file"]})},
      {"memory", memory},
      {"metadata_directory", f["metadata_dir"]},
      {"net_ticktime", NetTicktime(ctx.node.config())},
      {"os", f["os"]},
      {"pid", f["pid"]},
      {"product_name", "warren"},
      {"product_version", f["version"]},
      {"rabbitmq_version", f["rabbitmq_version"]},
      {"runtime_version", f["runtime"]},
      {"threads", {{"limit", f["threads_limit"]}, {"used", f["threads"]}}},
      {"totals",
       {{"connection_count", f["connections"]},
        {"queue_count", definitions["queues"].size()},
        {"virtual_host_count", State(ctx).vhosts().size()}}},
      {"uptime", f["uptime_seconds"]},
      {"vm_memory_calculation_strategy", mem["strategy"]},
      {"vm_memory_high_watermark_limit", mem["limit"]},
      {"vm_memory_high_watermark_setting", mem["watermark"]},
  };
}

}  // namespace warren::control::ops
