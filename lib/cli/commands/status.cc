#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {
namespace {

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string Items(const json& list) {
  std::string out;
  for (const auto& v : list) out += "\n * " + Str(v);
  return out;
}

// The sections `rabbitmqctl status` prints (shared/reference/rabbitmq-3.10.8/lifecycle.txt),
// with warren's facts where RabbitMQ prints Erlang's. `s` is a copy: a key the node did not
// send reads as null instead of failing.
std::string StatusText(const Invocation& inv, json s) {
  const std::string unit = [&] {
    std::string u = inv.flag("unit", "gb");
    for (char& ch : u) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return u;
  }();
  auto size = [&](const json& bytes) {
    return ConvertUnit(bytes.is_number() ? bytes.get<uint64_t>() : 0, unit) + " " + unit;
  };
  std::string out = SectionTitle("Runtime") + "\n\n";
  out += "OS PID: " + Str(s["pid"]) + "\n";
  out += "OS: " + Str(s["os"]) + "\n";
  out += "Uptime (seconds): " + Str(s["uptime"]) + "\n";
  out += "Is under maintenance?: " + Str(s["is_under_maintenance"]) + "\n";
  out += "Product name: " + Str(s["product_name"]) + "\n";
  out += "Product version: " + Str(s["product_version"]) + "\n";
  out += "RabbitMQ version: " + Str(s["rabbitmq_version"]) + "\n";
  out += "Node name: " + inv.node + "\n";
  out += "Runtime configuration: " + Str(s["runtime_version"]) + "\n";
  out += "Crypto library: " + Str(s["crypto_lib_version"]) + "\n";
  out += "Threads: " + Str(s["threads"]["used"]) + " used, " + Str(s["threads"]["limit"]) +
         " limit\n";
  out += "Cluster heartbeat timeout (net_ticktime): " + Str(s["net_ticktime"]) + "\n";

  out += "\n" + SectionTitle("Plugins") + "\n\n";
  out += "Enabled plugin file: " + Str(s["enabled_plugin_file"]) + "\n";
  out += "Enabled plugins:\n" + Items(s["active_plugins"]) + "\n";

  out += "\n" + SectionTitle("Data directory") + "\n\n";
  out += "Node data directory: " + Str(s["data_directory"]) + "\n";
  out += "Metadata directory: " + Str(s["metadata_directory"]) + "\n";

  out += "\n" + SectionTitle("Config files") + "\n" + Items(s["config_files"]) + "\n";
  out += "\n" + SectionTitle("Log file(s)") + "\n" + Items(s["log_files"]) + "\n";

  out += "\n" + SectionTitle("Alarms") + "\n\n";
  if (s["alarms"].empty()) out += "(none)\n";
  for (const auto& a : s["alarms"]) out += AlarmLine(a) + "\n";

  json& mem = s["memory"];
  json& setting = s["vm_memory_high_watermark_setting"];
  const std::string watermark = setting.contains("absolute")
                                    ? size(setting["absolute"])
                                    : Str(setting["relative"]) + " of available memory";
  out += "\n" + SectionTitle("Memory") + "\n\n";
  out += "Total memory used: " + size(mem["total"][Str(mem["strategy"])]) + "\n";
  out += "Calculation strategy: " + Str(mem["strategy"]) + "\n";
  out += "Memory high watermark setting: " + watermark + ", computed to: " +
         size(s["vm_memory_high_watermark_limit"]) + "\n\n";
  json breakdown = json::array();
  for (const auto& [key, value] : mem.items())
    if (value.is_number()) breakdown.push_back(json::array({key, value}));
  for (const auto& row : MemoryRows(breakdown, mem["total"]))
    out += row.category + ": " + ConvertUnit(row.bytes, unit) + " " + unit + " (" +
           FloatText(row.percentage) + " %)\n";

  json& fd = s["file_descriptors"];
  out += "\n" + SectionTitle("File Descriptors") + "\n\n";
  out += "Total: " + Str(fd["total_used"]) + ", limit: " + Str(fd["total_limit"]) + "\n";
  out += "Sockets: " + Str(fd["sockets_used"]) + ", limit: " + Str(fd["sockets_limit"]) + "\n";

  out += "\n" + SectionTitle("Free Disk Space") + "\n\n";
  out += "Low free disk space watermark: " + size(s["disk_free_limit"]) + "\n";
  out += "Free disk space: " + size(s["disk_free"]) + "\n";

  json& totals = s["totals"];
  out += "\n" + SectionTitle("Totals") + "\n\n";
  out += "Connection count: " + Str(totals["connection_count"]) + "\n";
  out += "Queue count: " + Str(totals["queue_count"]) + "\n";
  out += "Virtual host count: " + Str(totals["virtual_host_count"]) + "\n";

  out += "\n" + SectionTitle("Listeners") + "\n\n";
  if (s["listeners"].empty()) out += "(none)\n";
  for (const auto& l : s["listeners"]) out += ListenerLine(l) + "\n";
  return out;
}

}  // namespace

CommandSpec NodeStatus() {
  CommandSpec c;
  c.name = "status";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description = "Displays status of a node";
  c.usage = "[--unit <unit>] [--timeout <timeout>]";
  c.flags = {{"unit", 0, true, "<bytes | mb | gb>",
              "byte multiple (bytes, megabytes, gigabytes) to use", "gb"}};
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.banner_on_error = false;
  c.validate = [](const Invocation& inv) -> Status {
    const std::string unit = inv.flag("unit", "gb");
    if (!KnownUnit(unit)) return Status::Precondition(UnknownUnitMessage(unit));
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) { return "Status of node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/status"); };
  c.output = [](Invocation& inv, const json& s) {
    if (inv.formatter == "json") {
      PrintJsonLine(s);
      return 0;
    }
    std::fputs(StatusText(inv, s).c_str(), stdout);
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
