// What a node reports of itself for status, cluster_status and the resource alarms:
// the host and runtime, its paths, memory, disk, descriptors and client connections
// (control/node_api.h, facts()), and the limits the alarms compare against. Reads
// /proc afresh on each call (resources.h); thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/node_env.h"
#include "node/config.h"

namespace warren::node {

// The memory high watermark in bytes: absolute, or relative to the host's memory.
uint64_t MemoryLimit(const Config& config);
// The disk free limit in bytes: absolute, or relative to the host's memory.
uint64_t DiskLimit(const Config& config);

// The cores this process may run on (its CPU affinity), at least one.
unsigned UsableCores();

// The facts document; `amqp_ports` are the ports the AMQP listeners are bound to.
nlohmann::json NodeFacts(const NodeEnv& env, const Config& config,
                         std::chrono::seconds uptime, const std::set<int>& amqp_ports,
                         const std::string& metadata_dir);

}  // namespace warren::node
