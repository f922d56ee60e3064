#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Path: /api/parameters/{component}/{vhost}/{name}. NotFound "Parameter does not exist"
// when there is no such parameter (whatever the component, as in RabbitMQ).
Result<json> ClearParameter(OpContext& ctx, const OpRequest& req) {
  const std::string component = req.param("component");
  const std::string vhost = req.param("vhost");
  const std::string name = req.param("name");
  if (component == "policy") return Status::BadInput("policies may not be cleared using this method");
  if (component == "operator_policy")
    return Status::BadInput("operator policies may not be cleared using this method");
  if (component == "vhost-limits") {
    const meta::Vhost* v = State(ctx).FindVhost(vhost);
    if (name != "limits" || v == nullptr || !v->limits.is_object() || v->limits.empty())
      return Status::NotFound("Parameter does not exist", "parameter");
    WARREN_TRY(
        Submit(ctx, {{"op", "vhost.set_limits"}, {"name", vhost}, {"limits", json::object()}}));
    return Done();
  }
  WARREN_TRY(Submit(ctx, {{"op", "parameter.clear"},
                          {"vhost", vhost},
                          {"component", component},
                          {"name", name}}));
  return Done();
}

}  // namespace warren::control::ops
