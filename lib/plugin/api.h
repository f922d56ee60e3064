// The plugin interface (DESIGN decision 8), version kAbiVersion. A plugin is a shared
// object in the plugins directory with a manifest beside it (manifest.h); it exports one
// extern "C" entry point, `warren_plugin_entry`, that WARREN_PLUGIN(Class) defines.
// The node refuses an object whose entry reports another ABI version before calling
// anything else in it.
//
// Everything a plugin does to the node goes through its Context: HTTP routes on a
// listener it asks for, runtime-parameter components, exchange types, broker events,
// metrics and the admin service. What it registers is removed by the node when the
// plugin stops, so Stop() releases only the plugin's own resources.
//
// The interface is header-only on purpose: a plugin calls virtual functions and inline
// code only, links no part of warren, and is linked with --no-undefined. Every call
// happens on the node's event-loop thread; a handler must not block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"

namespace warren::plugin {

// Raised whenever a type or a virtual function below changes shape.
inline constexpr uint32_t kAbiVersion = 2;

using json = nlohmann::json;

// ---- HTTP ------------------------------------------------------------------------

struct HttpListenerSpec {
  std::string interface = "::";  // "::" also takes IPv4; "127.0.0.1" for loopback only
  int port = 0;
  std::string protocol;  // as `listeners` shows it: "http/prometheus", "http"
  std::string purpose;   // "Prometheus exporter API over HTTP"
};

// Answers one request. `request.path` is percent-decoded, without the query.
using HttpHandler = std::function<http::Response(const http::Request& request)>;

// ---- Broker events ----------------------------------------------------------------

enum class EventKind {
  kQueueCreated,
  kQueueDeleted,
  kExchangeCreated,
  kExchangeDeleted,
  kConnectionOpened,
  kConnectionClosed,
  kPolicyChanged,  // a policy or operator policy of `vhost` was set or cleared
};

// "queue.created", "connection.closed", "policy.changed", ... (RabbitMQ's event names).
inline const char* EventName(EventKind k) {
  switch (k) {
    case EventKind::kQueueCreated: return "queue.created";
    case EventKind::kQueueDeleted: return "queue.deleted";
    case EventKind::kExchangeCreated: return "exchange.created";
    case EventKind::kExchangeDeleted: return "exchange.deleted";
    case EventKind::kConnectionOpened: return "connection.created";
    case EventKind::kConnectionClosed: return "connection.closed";
    case EventKind::kPolicyChanged: return "policy.changed";
  }
  return "unknown";
}

struct Event {
  EventKind kind;
  std::string vhost;
  std::string name;  // the queue, the exchange, or the connection's peer ("127.0.0.1:50412")
  std::string user;  // connections: the user who logged in
};

using EventHandler = std::function<void(const Event&)>;

// ---- Metrics ----------------------------------------------------------------------

struct QueueMetrics {
  std::string vhost;
  std::string name;
  bool durable = false;
  uint64_t messages_ready = 0;
  uint64_t messages_unacked = 0;
  uint64_t message_bytes_ready = 0;
  uint64_t consumers = 0;
};

struct NodeMetrics {
  std::string node;          // "warren@host"
  std::string cluster_name;
  std::string version;       // warren's
  std::string rabbitmq_version;  // the RabbitMQ version warren speaks for
  double uptime_seconds = 0;
  bool running = false;      // the app (broker) is running
  // Process.
  uint64_t resident_memory_bytes = 0;
  uint64_t resident_memory_limit_bytes = 0;
  uint64_t disk_free_bytes = 0;
  uint64_t disk_free_limit_bytes = 0;
  uint64_t open_fds = 0;
  uint64_t max_fds = 0;
  bool memory_alarm = false;
  bool disk_alarm = false;
  // Engine.
  uint64_t connections = 0;
  uint64_t channels = 0;
  uint64_t consumers = 0;
  uint64_t queue_count = 0;
  uint64_t messages_ready = 0;     // over every queue
  uint64_t messages_unacked = 0;
  uint64_t connections_opened_total = 0;
  uint64_t connections_closed_total = 0;
  uint64_t messages_received_total = 0;
  uint64_t messages_routed_total = 0;
  uint64_t messages_unroutable_dropped_total = 0;
  uint64_t messages_unroutable_returned_total = 0;
  uint64_t messages_delivered_total = 0;
  uint64_t messages_acknowledged_total = 0;
  uint64_t messages_redelivered_total = 0;
  uint64_t messages_confirmed_total = 0;
  // Filled only when asked for (per-object metrics).
  std::vector<QueueMetrics> queues;
};

// ---- Exchange types ---------------------------------------------------------------

// A routing algorithm for exchanges declared with the type's name. The engine keeps
// the bindings; the type picks among them. Every broker shard routes through the same
// object, each on its own thread: Route may run on several threads at once, so it
// keeps what it changes per call or per thread (thread_local).
class ExchangeType {
 public:
  virtual ~ExchangeType() = default;
  // One line for listings: "Randomly picks a binding to route to".
  virtual std::string description() const = 0;
  // Appends to `chosen` the indices (into `binding_keys`) of the bindings a message
  // with `routing_key` goes to.
  virtual void Route(std::string_view routing_key,
                     const std::vector<std::string_view>& binding_keys,
                     std::vector<size_t>& chosen) const = 0;
  // A binding key the type cannot use: the reason (refused with 406), or empty.
  virtual std::string CheckBindingKey(std::string_view /*key*/) const { return {}; }
};

// ---- Parameters -------------------------------------------------------------------

// What is wrong with a parameter value of a component, worded as RabbitMQ words it;
// empty when it is valid.
using ParameterValidator = std::function<std::vector<std::string>(
    const std::string& vhost, const std::string& name, const json& value)>;

// ---- The context ------------------------------------------------------------------

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class Context {
 public:
  virtual ~Context() = default;

  virtual const std::string& plugin_name() const = 0;
  // The node's effective configuration, flattened RabbitMQ setting names -> values
  // ("prometheus.tcp.port" -> 15692). Settings the operator did not set are absent.
  virtual json settings() const = 0;
  virtual void Log(LogLevel level, const std::string& message) = 0;

  // Serves `handler` for `method` and `path` on the listener `listener` asks for; the
  // listener is opened on first use and shared by every plugin that names the same
  // interface and port. A path ending in '*' matches every path with that prefix.
  // Unavailable when the port cannot be bound; AlreadyExists for a route taken.
  virtual Status AddHttpRoute(const HttpListenerSpec& listener, const std::string& method,
                              const std::string& path, HttpHandler handler) = 0;

  // Runtime parameters of `component` (federation-upstream, shovel) become settable
  // with set_parameter once registered; AlreadyExists when another plugin has it.
  virtual Status RegisterParameterComponent(const std::string& component,
                                            ParameterValidator validator) = 0;

  // Exchanges may be declared with type `name` ("x-random") once registered;
  // AlreadyExists for a built-in or taken name.
  virtual Status RegisterExchangeType(const std::string& name,
                                      std::shared_ptr<ExchangeType> type) = 0;

  virtual void Subscribe(EventHandler handler) = 0;

  // A snapshot; `per_queue` also fills NodeMetrics::queues.
  virtual NodeMetrics Metrics(bool per_queue) = 0;

  // Runs the admin operation `name` (an entry of the admin service's table, such as
  // "list_users" or "add_user") with the parameters its route names and `body`.
  virtual Result<json> CallAdmin(const std::string& name, const json& params,
                                 const json& body = nullptr) = 0;

  // Runs `fn` on the event loop after the current handler returns.
  virtual void Post(std::function<void()> fn) = 0;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  // Registers what the plugin serves. An error leaves the plugin stopped and reported
  // failed; what it registered before failing is removed.
  virtual Status Start(Context& context) = 0;
  virtual void Stop() {}
};

// What `warren_plugin_entry` returns. abi_version comes first and never moves.
struct Entry {
  uint32_t abi_version;
  Plugin* (*create)();
  void (*destroy)(Plugin*);
};

inline constexpr const char* kEntrySymbol = "warren_plugin_entry";

}  // namespace warren::plugin

// Defines the entry point of a plugin whose Plugin subclass is `Class`.
#define WARREN_PLUGIN(Class)                                                          \
  extern "C" __attribute__((visibility("default"))) const ::warren::plugin::Entry*    \
  warren_plugin_entry() {                                                             \
    static const ::warren::plugin::Entry entry{                                       \
        ::warren::plugin::kAbiVersion,                                                \
        []() -> ::warren::plugin::Plugin* { return new Class(); },                    \
        [](::warren::plugin::Plugin* p) { delete p; }};                               \
    return &entry;                                                                    \
  }
