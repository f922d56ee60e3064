// What plugins exist and which are enabled, without loading any: the manifests in the
// plugins directory, the enabled plugins file (RabbitMQ's Erlang-term format,
// `[rabbitmq_management,rabbitmq_shovel].`) and dependency resolution as rabbitmq-plugins
// resolves it. Used by the node and, for --offline changes, by warren-plugins itself.
// Pure functions and value types; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::plugin {

// <plugins dir>/<name>.plugin.json, beside <name>.so.
struct Manifest {
  std::string name;         // "rabbitmq_prometheus"
  std::string version;      // "0.1.0"
  std::string description;  // "Prometheus metrics exporter"
  std::vector<std::string> dependencies;  // other plugins' names
  uint32_t abi = 0;         // the plugin ABI it was built for
  std::string library;      // absolute path of the shared object
};

struct Catalog {
  std::map<std::string, Manifest> plugins;  // usable ones, by name
  // Why a manifest (or the directory) was left out, one sentence each, naming the file.
  std::vector<std::string> problems;
};

// Reads every manifest in `dir`. A manifest that is malformed, built for another ABI,
// names a missing shared object or a missing dependency, or sits in a dependency cycle
// is left out with a problem; so is the directory itself when it does not exist.
Catalog ScanPlugins(const std::string& dir);
// Same, from manifests already read (name -> JSON text); `dir` only words problems.
Catalog CatalogFromManifests(const std::string& dir,
                             const std::map<std::string, std::string>& manifests);

// The enabled plugins file's list. BadInput naming the line (and what was expected)
// for a malformed file: "enabled plugins file /x: line 2: expected ',' or ']'".
Result<std::vector<std::string>> ParseEnabledPlugins(const std::string& text,
                                                     const std::string& path = "");
// "[a,b].\n": the names in the order given.
std::string FormatEnabledPlugins(const std::vector<std::string>& names);
// A missing file is an empty list, as in RabbitMQ.
Result<std::vector<std::string>> ReadEnabledPlugins(const std::string& path);
// Atomically (temporary file, fsync, rename); creates the parent directory.
Status WriteEnabledPlugins(const std::string& path, const std::vector<std::string>& names);

// The explicitly enabled plugins and every plugin they depend on, transitively.
// Names the catalog does not know are left out.
std::set<std::string> WithDependencies(const Catalog& catalog,
                                       const std::vector<std::string>& explicit_names);
// `names` ordered so that each plugin comes after its dependencies.
std::vector<std::string> StartOrder(const Catalog& catalog, const std::set<std::string>& names);
// The explicit names after disabling `names`: each and every explicitly enabled plugin
// that (transitively) depends on one of them is dropped, as rabbitmq-plugins does.
std::vector<std::string> WithoutDependents(const Catalog& catalog,
                                           const std::vector<std::string>& explicit_names,
                                           const std::vector<std::string>& names);

// The plugins as `warren-plugins list` shows them, from the plugins directory and the
// enabled plugins file alone (the node adds what runs and what failed):
// {"plugins_dir", "enabled_plugins_file", "explicit": [...], "enabled": [...],
//  "running": [], "failed": {}, "problems": [...], "file_error": "...",
//  "plugins": [{"name", "version", "description", "dependencies"}]}
nlohmann::json Describe(const std::string& plugins_dir, const std::string& enabled_plugins_file);
// Same, with the catalog and explicit list already known.
nlohmann::json Describe(const Catalog& catalog, const std::string& plugins_dir,
                        const std::string& enabled_plugins_file,
                        const std::vector<std::string>& explicit_names,
                        const std::string& file_error);

}  // namespace warren::plugin
