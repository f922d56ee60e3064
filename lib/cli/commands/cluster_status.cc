#include <algorithm>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {
namespace {

std::string NodeLines(const json& nodes) {
  std::vector<std::string> names;
  for (const auto& n : nodes) names.push_back(n.get<std::string>());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

// The sections `rabbitmqctl cluster_status` prints
// (shared/reference/rabbitmq-3.10.8/cluster.txt); versions name warren where RabbitMQ
// names Erlang. `s` is a copy: a key the node did not send reads as null.
std::string ClusterText(json s) {
  std::string out = SectionTitle("Basics") + "\n\nCluster name: " + s.value("cluster_name", "") + "\n";
  out += "\n" + SectionTitle("Disk Nodes") + "\n\n" + NodeLines(s["disk_nodes"]);
  if (!s["ram_nodes"].empty()) out += "\n" + SectionTitle("RAM Nodes") + "\n\n" + NodeLines(s["ram_nodes"]);
  out += "\n" + SectionTitle("Running Nodes") + "\n\n" + NodeLines(s["running_nodes"]);
  out += "\n" + SectionTitle("Versions") + "\n\n";
  for (const auto& [node, v] : s["versions"].items()) {
    out += node + ": " + v.value("rabbitmq_name", "") + " " + v.value("rabbitmq_version", "") +
           " on warren " + v.value("warren_version", "") + "\n";
  }
  out += "\n" + SectionTitle("Maintenance status") + "\n\n";
  for (const auto& [node, status] : s["maintenance_status"].items())
    out += "Node: " + node + ", status: " + status.get<std::string>() + "\n";
  out += "\n" + SectionTitle("Alarms") + "\n\n";
  if (s["alarms"].empty()) out += "(none)\n";
  for (const auto& a : s["alarms"]) out += AlarmLine(a) + "\n";
  out += "\n" + SectionTitle("Network Partitions") + "\n\n";
  if (s["partitions"].empty()) out += "(none)\n";
  for (const auto& [node, peers] : s["partitions"].items()) {
    std::string list;
    for (const auto& p : peers) list += (list.empty() ? "" : ", ") + p.get<std::string>();
    out += "Node " + node + " cannot communicate with " + list + "\n";
  }
  out += "\n" + SectionTitle("Listeners") + "\n\n";
  bool any = false;
  for (const auto& [node, listeners] : s["listeners"].items()) {
    for (const auto& l : listeners) {
      out += ListenerLine(l, /*with_node=*/true) + "\n";
      any = true;
    }
  }
  if (!any) out += "(none)\n";
  out += "\n" + SectionTitle("Feature flags") + "\n\n";
  if (s["feature_flags"].empty()) out += "(none)\n";
  for (const auto& f : s["feature_flags"])
    out += "Flag: " + f.value("name", "") + ", state: " + f.value("state", "") + "\n";
  return out;
}

}  // namespace

CommandSpec ClusterStatus() {
  CommandSpec c;
  c.name = "cluster_status";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Cluster";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Displays all the nodes in the cluster grouped by node type, together with the currently "
      "running nodes";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/clustering.html", "https://rabbitmq.com/monitoring.html"};
  c.banner_on_error = false;
  c.banner = [](const Invocation& inv) { return "Cluster status of node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/cluster-status"); };
  c.output = [](Invocation& inv, const json& s) {
    if (inv.formatter == "json") {
      PrintJsonLine(s);
      return 0;
    }
    std::fputs(ClusterText(s).c_str(), stdout);
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
