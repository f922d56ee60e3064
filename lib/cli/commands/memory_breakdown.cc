#include <algorithm>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {

CommandSpec MemoryBreakdown() {
  CommandSpec c;
  c.name = "memory_breakdown";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description = "Provides a memory usage breakdown on the target node.";
  c.usage = "[--unit <unit>] [--timeout <timeout>]";
  c.flags = {{"unit", 0, true, "<bytes | mb | gb>",
              "byte multiple (bytes, megabytes, gigabytes) to use", "gb"}};
  c.doc_guides = {"https://rabbitmq.com/memory-use.html"};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string unit = inv.flag("unit", "gb");
    if (!KnownUnit(unit)) return Status::Precondition(UnknownUnitMessage(unit));
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Reporting memory breakdown on node " + inv.node + "...";
  };
  c.run = [](Invocation& inv) { return Call(inv, "GET", "/api/node/memory"); };
  c.output = [](Invocation& inv, const json& r) {
    const auto rows = MemoryRows(r.value("breakdown", json::array()), r.value("total", json::object()));
    if (inv.formatter == "json") {
      // In size order, as rabbitmq-diagnostics prints it.
      nlohmann::ordered_json doc = nlohmann::ordered_json::object();
      for (const auto& row : rows)
        doc[row.category] = {{"bytes", row.bytes}, {"percentage", row.percentage}};
      std::printf("%s\n", doc.dump().c_str());
      return 0;
    }
    if (inv.formatter == "csv") {
      std::vector<std::pair<std::string, std::string>> cells;
      for (const auto& row : rows) {
        cells.push_back({row.category + ".bytes", std::to_string(row.bytes)});
        cells.push_back({row.category + ".percentage", FloatText(row.percentage)});
      }
      std::sort(cells.begin(), cells.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      std::string head, values;
      for (const auto& [k, v] : cells) {
        head += (head.empty() ? "" : ",") + k;
        values += (values.empty() ? "" : ",") + v;
      }
      std::printf("%s\n%s\n", head.c_str(), values.c_str());
      return 0;
    }
    std::string unit = inv.flag("unit", "gb");
    for (char& ch : unit) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    std::string out;
    for (const auto& row : rows) {
      out += row.category + ": " + ConvertUnit(row.bytes, unit) + " " + unit + " (" +
             FloatText(row.percentage) + "%)\n";
    }
    // The breakdown ends with an empty line (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
    std::printf("%s\n", out.c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
