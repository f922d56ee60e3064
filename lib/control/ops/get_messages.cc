#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: POST /api/queues/{vhost}/{name}/get with {count, ackmode: "ack" | "requeue"}, as
// the management API gets messages; one row per message (broker.h).
Result<json> GetMessages(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  if (auto there = AtHolder(ctx, *b, req, "POST", QueuePath(req) + "/get")) return *there;
  const json count = BodyJson(req, "count");
  if (!count.is_null() && !count.is_number_unsigned())
    return Status::BadInput("count must be a non-negative integer");
  const std::string ackmode = BodyStringOr(req, "ackmode", "ack");
  if (ackmode != "ack" && ackmode != "requeue")
    return Status::BadInput("ack mode must be ack or requeue, not '" + ackmode + "'");
  return b->Get(Vhost(req), req.param("name"), count.is_null() ? 1 : count.get<size_t>(),
                ackmode == "requeue");
}

}  // namespace warren::control::ops
