#include <set>

#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// RabbitMQ's definitions document for the whole node (GET /api/definitions). A
// cluster's metadata also records non-durable queues (and bindings to them) so that
// every member knows them; they are no definitions, as a standalone node's are not.
Result<json> ExportDefinitions(OpContext& ctx, const OpRequest&) {
  json d = State(ctx).ToDefinitions();
  std::set<std::pair<std::string, std::string>> transient;
  json queues = json::array();
  for (auto& q : d["queues"]) {
    if (q.value("durable", true)) queues.push_back(std::move(q));
    else transient.insert({q.value("vhost", ""), q.value("name", "")});
  }
  d["queues"] = std::move(queues);
  if (transient.empty()) return d;
  json bindings = json::array();
  for (auto& b : d["bindings"])
    if (b.value("destination_type", "") != "queue" ||
        !transient.count({b.value("vhost", ""), b.value("destination", "")}))
      bindings.push_back(std::move(b));
  d["bindings"] = std::move(bindings);
  return d;
}

}  // namespace warren::control::ops
