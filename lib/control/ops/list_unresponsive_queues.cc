#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/queues/{vhost}/unresponsive. RabbitMQ asks each queue process for its info
// within a timeout and lists those that did not answer. A warren queue is served by the
// engine thread that runs this very op, so a queue is unresponsive only when it reports
// a state other than running.
Result<json> ListUnresponsiveQueues(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  json rows = json::array();
  for (auto& row : b->ListQueues(Vhost(req)))
    if (row["state"] != "running") rows.push_back(std::move(row));
  return rows;
}

}  // namespace warren::control::ops
