// Node identity and the paths and ports derived from it (DESIGN decision 3).
// A node is `name@host`; everything else (data directory, control socket, ports)
// follows from the node name and WARREN_* variables, with RABBITMQ_* as fallbacks, so
// several nodes run side by side on one host and a CLI finds a local node by name.
// Pure functions of their inputs; thread-compatible.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren {

// Reads one environment variable; nullopt when unset. Injected so tests are hermetic.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
// The process environment.
EnvLookup ProcessEnv();

// This host's short name (up to the first dot), as RabbitMQ's short node names use.
std::string ShortHostname();

struct NodeName {
  std::string name;  // before the '@'
  std::string host;  // after the '@'
  std::string full() const { return name + "@" + host; }
};

// "rabbit" -> rabbit@<short host>; "a@b" -> a@b. BadInput for "", "@x", "a@", or
// characters a node name cannot hold.
Result<NodeName> ParseNodeName(std::string_view text);

// Holder names: a node's broker shards hold queues under the node's own name (shard
// 0) or "<node>/<i>" (shard i). The node a holder names:
inline std::string HolderNode(const std::string& holder) {
  return holder.substr(0, holder.find('/'));
}
// The shard of `node` that `holder` names; nullopt when it names another node or no
// shard ("<node>/x", "<node>/1x").
std::optional<size_t> HolderShard(const std::string& holder, const std::string& node);
// Shard i's holder name.
std::string HolderName(const std::string& node, size_t shard);

// Reads WARREN_<key>, then RABBITMQ_<key>.
std::optional<std::string> LookupSetting(const EnvLookup& env, std::string_view key);

// The runtime directory that holds every local node's control socket.
std::string RunDir(const EnvLookup& env);
// Where the control socket of `node` lives: <run dir>/<name@host>.sock.
std::string ControlSocketPath(const EnvLookup& env, const NodeName& node);

// RabbitMQ's default distribution port: where a node on another host is reached when
// nothing says otherwise (there is no epmd to ask).
inline constexpr int kDefaultDistPort = 25672;

struct NodeEnv {
  NodeName node;
  std::string base_dir;       // WARREN_BASE
  std::string data_dir;       // WARREN_MNESIA_DIR, or <base>/data/<node>
  std::string log_dir;        // WARREN_LOG_BASE, or <base>/log
  std::string log_file;       // <log_dir>/<node>.log
  std::string pid_file;       // WARREN_PID_FILE, or <data_dir>.pid
  std::string run_dir;        // WARREN_RUN_DIR
  std::string control_socket; // <run_dir>/<node>.sock
  std::string config_file;    // WARREN_CONFIG_FILE; empty when none is set and none exists
  std::string enabled_plugins_file;  // WARREN_ENABLED_PLUGINS_FILE, or <base>/enabled_plugins
  std::string plugins_dir;    // WARREN_PLUGINS_DIR, or the installed default
  std::string cookie_file;    // WARREN_COOKIE_FILE, or <base>/.cookie
  int node_port = 5672;       // WARREN_NODE_PORT
  int dist_port = kDefaultDistPort;  // WARREN_DIST_PORT, or node_port + 20000
  std::string node_ip;        // WARREN_NODE_IP_ADDRESS; empty = all interfaces
};

// force_boot's mark in a node's data directory: its next boot recovers the cluster
// alone (docs/clustering.md). Written by the node, or by the CLI while it is down.
inline std::string ForceBootFile(const std::string& data_dir) { return data_dir + "/force_boot"; }
// forget_cluster_node --offline's list (one node per line): the next boot removes them.
inline std::string ForgetNodesFile(const std::string& data_dir) { return data_dir + "/forget_nodes"; }

// The cookie in `path`: the file's bytes without trailing line ends, as nodes and
// the CLI both read it. Unavailable naming the file when it cannot be read or holds
// nothing (an empty secret would authenticate anyone).
Result<std::string> ReadCookieFile(const std::string& path);

// Resolves the node's environment. `nodename` overrides WARREN_NODENAME when given.
// BadInput for an unparsable node name or port.
Result<NodeEnv> ResolveNodeEnv(const EnvLookup& env, std::optional<std::string> nodename);

}  // namespace warren
