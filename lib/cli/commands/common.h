// Small helpers shared by command files: calling the node, encoding path segments,
// and the texts many commands print. Internal to lib/cli.
#pragma once

#include <string>

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

// A path segment: "/" -> "%2F", so vhost names travel whole.
inline std::string Seg(const std::string& s) { return http::PercentEncode(s); }

// "Done." style results that print nothing: a run that only succeeds or fails.
inline int PrintNothing(Invocation&, const json&) { return 0; }

}  // namespace warren::cli
