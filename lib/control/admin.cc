#include "control/admin.h"

#include "base/log.h"

#include "control/protocol.h"
#include "http/message.h"

namespace warren::control {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

// Matches a raw (percent-encoded) path against a pattern; fills captures decoded, so
// "%2F" inside a segment is a vhost named "/" rather than a separator.
bool Match(std::string_view pattern, std::string_view raw_path,
           std::map<std::string, std::string>* captures) {
  auto pp = Split(pattern);
  auto rp = Split(raw_path);
  if (pp.size() != rp.size()) return false;
  std::map<std::string, std::string> caps;
  for (size_t i = 0; i < pp.size(); ++i) {
    if (pp[i].size() > 2 && pp[i].front() == '{' && pp[i].back() == '}') {
      caps[std::string(pp[i].substr(1, pp[i].size() - 2))] = http::PercentDecode(rp[i]);
    } else if (pp[i] != rp[i]) {
      return false;
    }
  }
  *captures = std::move(caps);
  return true;
}

Dispatched Error(const Status& s) { return {HttpStatusFor(s.kind()), ErrorBody(s)}; }

}  // namespace

Status CheckAppNeed(AppNeed need, AppState state) {
  if (need == AppNeed::kRunning && state != AppState::kRunning) {
    return Status::Precondition(
        "this command requires the 'rabbit' app to be running on the target node. Start it "
        "with 'rabbitmqctl start_app'.",
        "app_state");
  }
  if ((need == AppNeed::kStopped && state != AppState::kStopped) ||
      (need == AppNeed::kNotRunning && state == AppState::kRunning)) {
    return Status::Precondition(
        "this command requires the 'rabbit' app to be stopped on the target node. Stop it "
        "with 'rabbitmqctl stop_app'.",
        "app_state");
  }
  return Status::OK();
}

namespace {

Result<json> Run(NodeApi& node, const Operation& op, std::map<std::string, std::string> params,
                 const json& body) {
  WARREN_TRY(CheckAppNeed(op.app, node.app_state()));
  OpRequest req;
  req.params = std::move(params);
  req.body = body;
  OpContext ctx{node};
  // Every door (the control socket, a remote CLI, a plugin) gets a failing operation's
  // error, never a node taken down by it.
  Result<json> r = Status::Internal("the operation failed");
  try {
    r = op.handler(ctx, req);
  } catch (const std::exception& e) {
    log::Error(std::string("operation ") + std::string(op.name) + " failed: " + e.what());
    r = Status::Internal(std::string("the operation failed: ") + e.what());
  }
  if (r.ok() && op.method != "GET") node.MetadataChanged();
  return r;
}

}  // namespace

const char* AppStateName(AppState s) {
  switch (s) {
    case AppState::kBooting: return "booting";
    case AppState::kRunning: return "running";
    case AppState::kStopping: return "stopping";
    case AppState::kStopped: return "stopped";
  }
  return "stopped";
}

Dispatched Dispatch(NodeApi& node, std::string_view method, std::string_view raw_path,
                    const std::map<std::string, std::string>& query, const json& body) {
  bool path_matched = false;
  for (const Operation& op : Operations()) {
    std::map<std::string, std::string> caps;
    if (!Match(op.path, raw_path, &caps)) continue;
    path_matched = true;
    if (op.method != method) continue;
    std::map<std::string, std::string> params = query;
    for (auto& [k, v] : caps) params[k] = v;
    Result<json> r = Run(node, op, std::move(params), body);
    if (!r.ok()) return Error(r.status());
    return {200, std::move(r).value()};
  }
  if (path_matched)
    return {405, ErrorBody(Status::BadInput("method not allowed"))};
  return Error(Status::NotFound("no operation at " + std::string(raw_path)));
}

Result<json> Call(NodeApi& node, std::string_view name,
                  const std::map<std::string, std::string>& params, const json& body) {
  for (const Operation& op : Operations())
    if (op.name == name) return Run(node, op, params, body);
  return Status::NotFound("no admin operation called " + std::string(name), "operation");
}

}  // namespace warren::control
