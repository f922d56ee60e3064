#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: DELETE /api/queues/{vhost}/{name}?if-unused=true&if-empty=true;
// {"messages": ready messages deleted with it}.
Result<json> DeleteQueue(OpContext& ctx, const OpRequest& req) {
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, Vhost(req)));
  std::map<std::string, std::string> query;
  for (const char* flag : {"if-unused", "if-empty"})
    if (req.param(flag) == "true") query[flag] = "true";
  if (auto there = AtHolder(ctx, *b, req, "DELETE", QueuePath(req), query)) return *there;
  WARREN_ASSIGN_OR_RETURN(size_t n, b->DeleteQueue(Vhost(req), req.param("name"),
                                                   req.param("if-unused") == "true",
                                                   req.param("if-empty") == "true"));
  return json{{"messages", n}};
}

}  // namespace warren::control::ops
