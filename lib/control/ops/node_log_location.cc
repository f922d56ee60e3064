#include "control/ops/ops.h"

namespace warren::control::ops {

// {"paths": [...]}: where the node logs; the first path is the main log file.
Result<json> NodeLogLocation(OpContext& ctx, const OpRequest&) {
  return json{{"paths", json::array({ctx.node.env().log_file})}};
}

}  // namespace warren::control::ops
