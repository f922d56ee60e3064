// The node's configuration: RabbitMQ setting names (`listeners.tcp.default`,
// `vm_memory_high_watermark.relative`, ...) with their values, read from a YAML file
// (nested maps flatten to dotted names) or from RabbitMQ's own `rabbitmq.conf`
// (`key = value` lines), so an existing rabbitmq.conf works unchanged.
// Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "net/tcp_listeners.h"

namespace warren::node {

using net::Listener;

struct Config {
  std::vector<Listener> amqp_listeners;           // listeners.tcp.*
  std::vector<std::string> loopback_users = {"guest"};  // loopback_users.<name> = true
  std::string default_user = "guest";
  std::string default_pass = "guest";
  double memory_high_watermark = 0.4;              // vm_memory_high_watermark.relative
  uint64_t memory_high_watermark_absolute = 0;     // vm_memory_high_watermark.absolute; 0 = relative
  uint64_t disk_free_limit = 50'000'000;           // disk_free_limit.absolute, bytes
  double disk_free_limit_relative = 0;             // disk_free_limit.relative (x RAM); 0 = absolute
  std::string log_level = "info";                  // log.file.level
  uint64_t queue_page_above = 65536;              // warren.queue_page_above
  int shards = 0;  // warren.shards: broker event loops; 0 = one per usable core
  // AMQP connection settings, with RabbitMQ's names and defaults.
  uint16_t heartbeat = 60;                  // heartbeat, seconds
  uint32_t frame_max = 131072;              // frame_max, bytes (>= 4096)
  uint16_t channel_max = 2047;              // channel_max
  uint64_t max_message_size = 134217728;    // max_message_size, bytes
  uint32_t handshake_timeout = 10000;       // handshake_timeout, ms
  std::string cluster_name;                 // cluster_name; empty = the node name
  // cluster_partition_handling: pause_minority (default) | autoheal | ignore.
  std::string partition_handling = "pause_minority";
  uint32_t cluster_boot_wait = 2000;        // warren.cluster_boot_wait, ms (docs/clustering.md)
  // net_ticktime, s: a member silent this long is taken for down (its non-durable
  // queues and exchanges go, as at RabbitMQ's nodedown).
  uint32_t net_ticktime = 60;
  nlohmann::json flat = nlohmann::json::object();  // every setting as read, for `environment`
};

// Reads `path` (YAML when it ends in .yaml/.yml, rabbitmq.conf syntax otherwise; a path
// without an extension that does not exist is tried with ".conf", as RabbitMQ does).
// An empty path gives the defaults. BadInput naming the file, line and key on any
// syntax error, unknown setting or invalid value.
Result<Config> LoadConfig(const std::string& path, int default_port, const std::string& default_ip);

// "50MB", "1GB", "1000000" (bytes), as RabbitMQ accepts for disk_free_limit.absolute.
// BadInput for anything else, including sizes beyond 2^64 bytes.
Result<uint64_t> ParseByteSize(const std::string& text);

// Every setting in effect, flattened as RabbitMQ names them: what the file set plus the
// defaults it left alone. Passwords are masked. For `environment`.
nlohmann::json EffectiveSettings(const Config& cfg);

}  // namespace warren::node
