// Small helpers shared by command files: calling the node, encoding path segments,
// and the texts many commands print. Internal to lib/cli.
#pragma once

#include <fstream>
#include <string>

#include "base/node_env.h"
#include "cli/command.h"
#include "cli/output.h"
#include "control/client.h"
#include "http/message.h"

namespace warren::cli {

// One admin operation on the invocation's node.
inline Result<json> Call(Invocation& inv, std::string_view method, const std::string& path,
                         const json& body = nullptr,
                         const std::map<std::string, std::string>& query = {}) {
  return inv.client().Call(method, path, body, query);
}

// Commands that also work on a node that is down (force_boot, forget_cluster_node
// --offline): `called` is the node's answer; when the node is down, the line `line`
// is appended to the file `file_of(data dir)` its next boot reads instead.
inline Result<json> OrLeaveForNextBoot(Invocation& inv, Result<json> called,
                                       std::string (*file_of)(const std::string&),
                                       const std::string& line) {
  const bool down = !called.ok() && called.status().kind() == ErrorKind::kUnavailable &&
                    called.status().subject() == control::kSubjectNodeDown;
  if (!down) return called;
  auto env = ResolveNodeEnv(ProcessEnv(), inv.node);
  if (!env.ok()) return env.status();
  std::ofstream out(file_of(env->data_dir), std::ios::app);
  if (!(out << line)) return Status::Unavailable("cannot write " + file_of(env->data_dir));
  return json::object();
}

// A path segment: "/" -> "%2F", so vhost names travel whole.
inline std::string Seg(const std::string& s) { return http::PercentEncode(s); }

// "Done." style results that print nothing: a run that only succeeds or fails.
inline int PrintNothing(Invocation&, const json&) { return 0; }

}  // namespace warren::cli
