// Node facts as RabbitMQ's CLI and HTTP API shape them, shared by the status,
// listeners, alarms and cluster_status operations. Internal to lib/control.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "control/admin.h"

namespace warren::control::ops {

// "::" -> "[::]": IPv6 interfaces are bracketed, as rabbitmq-diagnostics prints them.
std::string InterfaceText(const std::string& interface);
// [{"interface", "node", "port", "protocol", "purpose"}, ...] for the node's active listeners.
json ListenersJson(const NodeApi& node);
// [{"node", "resource": "memory"|"disk", "type": "resource_limit"}, ...].
json AlarmsJson(const NodeApi& node);

}  // namespace warren::control::ops
