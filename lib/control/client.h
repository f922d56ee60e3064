// The control client used by warrenctl, warren-plugins and warren-diagnostics. It has
// two doors to a node: one HTTP/1.1 request over the node's Unix domain socket per call
// (a node on this machine), or request frames over the node's inter-node port, opened
// with the cookie handshake (a node elsewhere; docs/clustering.md). Replies read the same
// through either. It speaks HTTP itself instead of through libcurl, because libcurl's ~30
// shared libraries cost a CLI call more than everything else it does (docs/decisions.md).
// Depends on base, http and cluster_wire only. Not thread-safe; one per CLI invocation.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::control {

// Subjects of client-side failures, so the CLI can word them as rabbitmqctl does.
inline constexpr std::string_view kSubjectNodeDown = "node_down";
inline constexpr std::string_view kSubjectSocketOwner = "socket_owner";
inline constexpr std::string_view kSubjectCookie = "cookie";

// A node reached through its inter-node port rather than a control socket.
struct RemoteNode {
  std::string host;
  int port = 25672;
  std::string cookie_file;  // read when the first call connects
  std::string self;         // the CLI's name in its hello: cli-<pid>@<this host>
};

class DistClient;

class Client {
 public:
  // Through the control socket at `socket_path`. `timeout_ms` < 0 waits forever.
  Client(std::string socket_path, int timeout_ms);
  // Through `remote`'s inter-node port; the first call connects, later calls reuse it.
  Client(RemoteNode remote, int timeout_ms);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // Performs one operation. Returns the reply's JSON body (null for an empty one).
  // Unavailable(subject node_down) when nothing listens on the socket or port;
  // Unavailable(subject socket_owner) when the socket belongs to another user;
  // Unavailable(subject cookie) when the cookie is unreadable or the node refuses it;
  // Timeout when no whole reply came within the timeout; otherwise the node's error.
  Result<nlohmann::json> Call(std::string_view method, std::string_view path,
                              const nlohmann::json& body = nullptr,
                              const std::map<std::string, std::string>& query = {});

 private:
  Result<nlohmann::json> CallSocket(std::string_view method, std::string_view path,
                                    const nlohmann::json& body,
                                    const std::map<std::string, std::string>& query);

  std::string socket_path_;
  int timeout_ms_;
  std::unique_ptr<DistClient> dist_;  // set: the inter-node door
};

}  // namespace warren::control
