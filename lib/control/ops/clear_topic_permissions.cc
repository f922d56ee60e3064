#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/topic-permissions/{vhost}/{user}; query "exchange" limits the clearing to
// that exchange, otherwise all of the user's topic permissions in the vhost go.
Result<json> ClearTopicPermissions(OpContext& ctx, const OpRequest& req) {
  json command = {{"op", "topic_permission.clear"},
                  {"user", req.param("user")},
                  {"vhost", req.param("vhost")}};
  if (req.params.count("exchange")) {
    const std::string exchange = req.param("exchange");
    if (exchange.empty()) return Status::BadInput("the exchange name must not be empty");
    command["exchange"] = exchange;
  }
  WARREN_TRY(Submit(ctx, command));
  return Done();
}

}  // namespace warren::control::ops
