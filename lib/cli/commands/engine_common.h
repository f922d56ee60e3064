// Shared by the commands that list and change the AMQP engine's state (list_queues,
// list_connections, purge_queue, declare_queue, publish, ...): the list command
// skeleton, how their cells print, and their JSON-valued flags. Internal to lib/cli.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/command.h"

namespace warren::cli {

// A list command reading GET `path(inv)` from the node: column arguments, rabbitmqctl's
// usage line, the banner printed on success, and EngineRowsOutput.
CommandSpec EngineListCommand(std::string name, std::string description, bool uses_vhost,
                              std::vector<std::string> columns,
                              std::vector<std::string> default_columns,
                              std::function<std::string(const Invocation&)> banner,
                              std::function<std::string(const Invocation&)> path);

// Prints engine rows as rabbitmqctl does: field tables (arguments, client_properties) as
// Erlang terms in tables ([{"x-max-length",10}]), IPv4 hosts as octet lists in JSON.
int EngineRowsOutput(Invocation& inv, const json& rows);

// bind / unbind: <source> <destination> [--destination-type queue|exchange]
// [--routing-key k] [--arguments <json>] (warren extensions).
CommandSpec BindingCommand(bool unbind);

// "vhost '/'", as the engine commands' banners name the vhost.
std::string InVhost(const Invocation& inv);

// The JSON document given with --<flag>, null when the flag is absent; rabbitmqctl's
// decoding error otherwise.
Result<json> JsonFlag(const Invocation& inv, const std::string& flag);

}  // namespace warren::cli
