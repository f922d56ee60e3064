// The plugin loader (the node's side of DESIGN decision 8): it loads the enabled
// plugins' shared objects (dlopen), checks their entry point and ABI, starts them in
// dependency order and stops them in reverse, and keeps what each registered (HTTP
// routes, parameter components, exchange types, event handlers) so that stopping a
// plugin removes it all. A plugin that fails to load or start is reported failed; the
// node goes on. Used on the node's event-loop thread only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "plugin/api.h"

namespace asio {
class io_context;
}

namespace warren::plugin {

struct HostOptions {
  std::string plugins_dir;
  std::string enabled_plugins_file;
  std::string node_name;
  // The node's flattened effective configuration.
  std::function<json()> settings;
  // Process and engine figures; per_queue fills NodeMetrics::queues.
  std::function<NodeMetrics(bool per_queue)> metrics;
  // Runs an admin operation by name.
  std::function<Result<json>(const std::string& name, const json& params, const json& body)>
      admin;
};

// An HTTP listener some plugin opened, for `listeners`.
struct HttpListenerInfo {
  std::string protocol;
  std::string interface;
  int port;
  std::string purpose;
};

class Host {
 public:
  virtual ~Host() = default;
  static std::unique_ptr<Host> Create(asio::io_context& io, HostOptions options);

  // Starts the plugins the enabled plugins file names, and their dependencies. A
  // malformed file is logged (naming the line) and nothing is loaded.
  virtual void Boot() = 0;
  // Stops every running plugin, in reverse start order.
  virtual void StopAll() = 0;

  // Makes `explicit_names` the enabled set: checks every name exists (NotFound, subject
  // plugins_not_found, listing the unknown ones), writes the enabled plugins file, then
  // stops what is no longer enabled and starts what newly is. Returns
  // {"enabled": [all enabled, sorted], "started": [...], "stopped": [...],
  //  "failed": {name: reason}}.
  virtual Result<json> Apply(const std::vector<std::string>& explicit_names) = 0;

  // {"plugins_dir", "enabled_plugins_file", "explicit": [...], "enabled": [...],
  //  "running": [...], "failed": {name: reason}, "problems": [...], "file_error": "...",
  //  "plugins": [{"name", "version", "description", "dependencies"}]}
  virtual json Describe() const = 0;

  // The extension points the broker consults.
  // From any thread: every broker shard declares exchanges on its own.
  virtual std::shared_ptr<ExchangeType> FindExchangeType(const std::string& name) const = 0;
  virtual void Emit(const Event& event) = 0;
  virtual std::vector<HttpListenerInfo> listeners() const = 0;
};

}  // namespace warren::plugin
