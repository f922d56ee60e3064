#include "control/ops/util.h"

#include <utility>

#include "base/fiber.h"

namespace warren::control::ops {

Result<std::string> BodyString(const OpRequest& req, const char* key) {
  if (!req.body.is_object() || !req.body.contains(key) || !req.body[key].is_string())
    return Status::BadInput(std::string("request field '") + key + "' must be a string");
  return req.body[key].get<std::string>();
}

std::string BodyStringOr(const OpRequest& req, const char* key, std::string fallback) {
  if (req.body.is_object() && req.body.contains(key) && req.body[key].is_string())
    return req.body[key].get<std::string>();
  return fallback;
}

Status Submit(OpContext& ctx, const json& command) {
  meta::Store& store = ctx.node.store();
  if (!fiber::InFiber()) return store.Submit(command);
  Status outcome;
  fiber::Wait([&](fiber::Resume resume) {
    store.SubmitAsync(command, [&outcome, resume = std::move(resume)](Status s) {
      outcome = std::move(s);
      resume();
    });
  });
  return outcome;
}

Status SubmitBatch(OpContext& ctx, std::vector<json> commands) {
  return Submit(ctx, json{{"op", "batch"}, {"commands", std::move(commands)}});
}

std::string Vhost(const OpRequest& req) { return req.param("vhost", "/"); }

Status RequireVhost(OpContext& ctx, const std::string& vhost) {
  if (State(ctx).FindVhost(vhost) == nullptr)
    return Status::NotFound(meta::NoSuchVhost(vhost), "vhost");
  return Status::OK();
}

Status RequireUser(OpContext& ctx, const std::string& user) {
  if (State(ctx).FindUser(user) == nullptr) return Status::NotFound(meta::NoSuchUser(user), "user");
  return Status::OK();
}

}  // namespace warren::control::ops
