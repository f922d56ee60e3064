// What warren-plugins' commands share: reaching the node or, when it is down (or
// --offline is given), reading the plugins directory and enabled plugins file the node
// would use; applying a new enabled set; and rabbitmq-plugins' report of a change.
// Internal to lib/cli.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/command.h"

namespace warren::cli::commands {

// --online and --offline, as rabbitmq-plugins documents them.
std::vector<Flag> OnlineOfflineFlags();
// Refuses --online together with --offline.
Status CheckOnlineOffline(const Invocation& inv);

// enable and disable: plugin names, or --all.
Status CheckNamesOrAll(const Invocation& inv);

// "Enabling plugins on node n:\nname\n...", as rabbitmq-plugins announces a change.
std::function<std::string(const Invocation&)> ChangeBanner(std::string verb);

struct PluginsView {
  json state;           // plugin::Describe's shape; "running"/"failed" only when online
  bool online = false;  // from the running node
};

// The node's view; without a node (down, or --offline) the local files' view. Node
// down with --online given is an error.
Result<PluginsView> LoadPlugins(Invocation& inv);

// BadInput naming the line when the enabled plugins file is malformed: enable and
// disable refuse to guess what it meant (set replaces it).
Status CheckEnabledFileReadable(const PluginsView& view);

// The names in a JSON array, sorted.
std::vector<std::string> Names(const json& array);

// The command given plugin names; BadInput listing the unknown ones
// ("{:plugins_not_found, [:x]}", as rabbitmq-plugins prints it) when `must_exist`.
Status CheckKnown(const PluginsView& view, const std::vector<std::string>& names);

enum class Change { kEnable, kDisable, kSet };

// Makes `explicit_names` the enabled set (through the node, or by writing the file
// offline) and prints rabbitmq-plugins' report of what was configured and what started
// or stopped. Returns the result to print nothing more for.
Result<json> ApplyPlugins(Invocation& inv, const PluginsView& before,
                          std::vector<std::string> explicit_names, Change change);

}  // namespace warren::cli::commands
