#include <set>

#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// RabbitMQ's definitions document for the whole node (GET /api/definitions). A
// cluster's metadata also records non-durable exchanges and queues (and their bindings)
// so that every member knows them; they are no definitions, as a standalone node's are
// not.
Result<json> ExportDefinitions(OpContext& ctx, const OpRequest&) {
  json d = State(ctx).ToDefinitions();
  // Non-durable exchanges and queues, by (vhost, name); bindings with one at either end go.
  std::set<std::pair<std::string, std::string>> exchanges, queues;
  auto durable_only = [](json& section, std::set<std::pair<std::string, std::string>>& dropped) {
    json kept = json::array();
    for (auto& e : section) {
      if (e.value("durable", true) && !e.value("exclusive", false)) kept.push_back(std::move(e));
      else dropped.insert({e.value("vhost", ""), e.value("name", "")});
    }
    section = std::move(kept);
  };
  durable_only(d["exchanges"], exchanges);
  durable_only(d["queues"], queues);
  if (exchanges.empty() && queues.empty()) return d;
  json bindings = json::array();
  for (auto& b : d["bindings"]) {
    const std::string vhost = b.value("vhost", "");
    const auto& to = b.value("destination_type", "") == "queue" ? queues : exchanges;
    if (!exchanges.count({vhost, b.value("source", "")}) &&
        !to.count({vhost, b.value("destination", "")}))
      bindings.push_back(std::move(b));
  }
  d["bindings"] = std::move(bindings);
  return d;
}

}  // namespace warren::control::ops
