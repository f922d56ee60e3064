// What the admin operations may ask of the node they run in. The node (lib/node)
// implements it; ops see nothing else, so they stay glue (CONVENTIONS 8).
// Called only on the node's control thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/node_env.h"
#include "base/status.h"

namespace warren::meta {
class Store;
}
namespace warren::broker {
class Broker;
}
namespace warren::cluster {
class Cluster;
}

namespace warren::control {

enum class AppState { kBooting, kRunning, kStopping, kStopped };
// "booting" | "running" | "stopping" | "stopped"
const char* AppStateName(AppState s);

struct ListenerInfo {
  std::string protocol;   // "amqp", "clustering", "http/prometheus", ...
  std::string interface;  // "::" or "127.0.0.1"
  int port = 0;
  std::string purpose;    // "AMQP 0-9-1 and AMQP 1.0", "inter-node and CLI tool communication"
};

struct AlarmInfo {
  std::string resource;  // "memory" | "disk"
  std::string node;
};

class NodeApi {
 public:
  virtual ~NodeApi() = default;

  virtual const NodeEnv& env() const = 0;
  virtual meta::Store& store() = 0;
  virtual AppState app_state() const = 0;
  // Stop / start the client-facing part (listeners) while the process and its
  // control socket stay up. Idempotent.
  virtual Status StopApp() = 0;
  virtual Status StartApp() = 0;
  // Returns the node to a blank state. REQUIRES: app stopped (Precondition otherwise).
  virtual Status Reset(bool force) = 0;
  // Ends the process once the current reply has been sent.
  virtual void ShutdownAfterReply() = 0;

  virtual std::vector<ListenerInfo> listeners() const = 0;
  virtual std::vector<AlarmInfo> alarms() const = 0;
  // Node facts for `status` and friends: pid, uptime, memory, versions, files, limits.
  virtual nlohmann::json facts() const = 0;
  // The effective configuration (flattened RabbitMQ setting names -> values).
  virtual nlohmann::json config() const = 0;
  // An operation changed the metadata store: the broker re-reads what it caches
  // (policies, deleted vhosts).
  virtual void MetadataChanged() {}
  // The AMQP engine while the app runs; nullptr when it is stopped.
  virtual broker::Broker* broker() { return nullptr; }
  // Membership and the inter-node transport; nullptr on a node without them.
  virtual cluster::Cluster* cluster() { return nullptr; }

  // Plugins (plugin/host.h): what exists, what is enabled, running and failed.
  virtual nlohmann::json Plugins() const { return nlohmann::json::object(); }
  // Makes `explicit_names` the enabled plugins and starts / stops plugins to match.
  virtual Result<nlohmann::json> SetPlugins(const std::vector<std::string>& explicit_names) {
    (void)explicit_names;
    return Status::Unavailable("this node does not load plugins");
  }
};

}  // namespace warren::control
