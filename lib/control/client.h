// The control-socket client used by warrenctl, warren-plugins and warren-diagnostics:
// one HTTP/1.1 request over the node's Unix domain socket per call. It speaks HTTP
// itself instead of through libcurl, because libcurl's ~30 shared libraries cost a CLI
// call more than everything else it does (docs/decisions.md). Depends on base + http only.
// Not thread-safe; one per CLI invocation.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::control {

// Subjects of client-side failures, so the CLI can word them as rabbitmqctl does.
inline constexpr std::string_view kSubjectNodeDown = "node_down";
inline constexpr std::string_view kSubjectSocketOwner = "socket_owner";

class Client {
 public:
  // `timeout_ms` < 0 waits forever.
  Client(std::string socket_path, int timeout_ms)
      : socket_path_(std::move(socket_path)), timeout_ms_(timeout_ms) {}

  // Performs one operation. Returns the reply's JSON body (null for an empty one).
  // Unavailable(subject node_down) when nothing listens on the socket;
  // Unavailable(subject socket_owner) when the socket belongs to another user;
  // Timeout when no whole reply came within the timeout; otherwise the node's error.
  Result<nlohmann::json> Call(std::string_view method, std::string_view path,
                              const nlohmann::json& body = nullptr,
                              const std::map<std::string, std::string>& query = {});

  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string socket_path_;
  int timeout_ms_;
};

}  // namespace warren::control
