#include "exposition.h"

#include <cstdio>

namespace warren::prometheus {
namespace {

// A label value with \, " and newline escaped.
std::string Escape(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void Family(const char* name, const char* type, const char* help) {
    out_ += "# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += "\n# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += '\n';
  }
  void Sample(const char* name, const std::string& labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), " %.17g\n", value);
    out_ += buf;
  }
  void Metric(const char* name, const char* type, const char* help, double value) {
    Family(name, type, help);
    Sample(name, "", value);
  }

 private:
  std::string& out_;
};

std::string QueueLabels(const plugin::QueueMetrics& q) {
  return "vhost=\"" + Escape(q.vhost) + "\",queue=\"" + Escape(q.name) + "\"";
}

}  // namespace

std::string Render(const plugin::NodeMetrics& m, bool per_object) {
  std::string out;
  out.reserve(4096 + m.queues.size() * 400);
  Writer w(out);
  w.Family("rabbitmq_build_info", "untyped", "RabbitMQ & Erlang/OTP version info");
  w.Sample("rabbitmq_build_info",
           "rabbitmq_version=\"" + Escape(m.rabbitmq_version) + "\",warren_version=\"" +
               Escape(m.version) + "\",prometheus_plugin_version=\"" + Escape(m.version) + "\"",
           1);
  w.Family("rabbitmq_identity_info", "untyped", "RabbitMQ node & cluster identity info");
  w.Sample("rabbitmq_identity_info",
           "rabbitmq_node=\"" + Escape(m.node) + "\",rabbitmq_cluster=\"" + Escape(m.cluster_name) +
               "\"",
           1);

  w.Metric("rabbitmq_process_resident_memory_bytes", "gauge", "Memory used in bytes",
           double(m.resident_memory_bytes));
  w.Metric("rabbitmq_resident_memory_limit_bytes", "gauge",
           "Memory high watermark in bytes", double(m.resident_memory_limit_bytes));
  w.Metric("rabbitmq_disk_space_available_bytes", "gauge", "Disk space available in bytes",
           double(m.disk_free_bytes));
  w.Metric("rabbitmq_disk_space_available_limit_bytes", "gauge",
           "Free disk space low watermark in bytes", double(m.disk_free_limit_bytes));
  w.Metric("rabbitmq_process_open_fds", "gauge", "Open file descriptors", double(m.open_fds));
  w.Metric("rabbitmq_process_max_fds", "gauge", "Open file descriptors limit", double(m.max_fds));
  w.Metric("rabbitmq_alarms_memory_used_watermark", "gauge",
           "is 1 if VM memory watermark alarm is in effect", m.memory_alarm ? 1 : 0);
  w.Metric("rabbitmq_alarms_free_disk_space_watermark", "gauge",
           "is 1 if free disk space watermark alarm is in effect", m.disk_alarm ? 1 : 0);
  w.Metric("rabbitmq_alarms_file_descriptor_limit", "gauge",
           "is 1 if file descriptor limit alarm is in effect", 0);
  w.Metric("rabbitmq_process_uptime_seconds", "gauge", "Time since the node started, in seconds",
           m.uptime_seconds);

  w.Metric("rabbitmq_connections", "gauge", "Connections currently open", double(m.connections));
  w.Metric("rabbitmq_channels", "gauge", "Channels currently open", double(m.channels));
  w.Metric("rabbitmq_consumers", "gauge", "Consumers currently connected", double(m.consumers));
  w.Metric("rabbitmq_queues", "gauge", "Queues available", double(m.queue_count));
  w.Metric("rabbitmq_connections_opened_total", "counter", "Total number of connections opened",
           double(m.connections_opened_total));
  w.Metric("rabbitmq_connections_closed_total", "counter",
           "Total number of connections closed or terminated", double(m.connections_closed_total));

  w.Metric("rabbitmq_global_messages_received_total", "counter",
           "Total number of messages received from publishers", double(m.messages_received_total));
  w.Metric("rabbitmq_global_messages_routed_total", "counter",
           "Total number of messages routed to queues or streams", double(m.messages_routed_total));
  w.Metric("rabbitmq_global_messages_unroutable_dropped_total", "counter",
           "Total number of messages published as non-mandatory into an exchange and dropped as "
           "unroutable",
           double(m.messages_unroutable_dropped_total));
  w.Metric("rabbitmq_global_messages_unroutable_returned_total", "counter",
           "Total number of messages published as mandatory into an exchange and returned to the "
           "publisher as unroutable",
           double(m.messages_unroutable_returned_total));
  w.Metric("rabbitmq_global_messages_delivered_total", "counter",
           "Total number of messages delivered to consumers", double(m.messages_delivered_total));
  w.Metric("rabbitmq_global_messages_acknowledged_total", "counter",
           "Total number of messages acknowledged by consumers",
           double(m.messages_acknowledged_total));
  w.Metric("rabbitmq_global_messages_redelivered_total", "counter",
           "Total number of messages redelivered to consumers",
           double(m.messages_redelivered_total));
  w.Metric("rabbitmq_global_messages_confirmed_total", "counter",
           "Total number of messages confirmed to publishers", double(m.messages_confirmed_total));

  if (!per_object) {
    w.Metric("rabbitmq_queue_messages_ready", "gauge", "Messages ready to be delivered to consumers",
             double(m.messages_ready));
    w.Metric("rabbitmq_queue_messages_unacked", "gauge",
             "Messages delivered to consumers but not yet acknowledged", double(m.messages_unacked));
    w.Metric("rabbitmq_queue_messages", "gauge", "Sum of ready and unacknowledged messages",
             double(m.messages_ready + m.messages_unacked));
    return out;
  }
  struct PerQueue {
    const char* name;
    const char* help;
    double (*value)(const plugin::QueueMetrics&);
  };
  static const PerQueue kPerQueue[] = {
      {"rabbitmq_queue_messages_ready", "Messages ready to be delivered to consumers",
       [](const plugin::QueueMetrics& q) { return double(q.messages_ready); }},
      {"rabbitmq_queue_messages_unacked", "Messages delivered to consumers but not yet acknowledged",
       [](const plugin::QueueMetrics& q) { return double(q.messages_unacked); }},
      {"rabbitmq_queue_messages", "Sum of ready and unacknowledged messages",
       [](const plugin::QueueMetrics& q) { return double(q.messages_ready + q.messages_unacked); }},
      {"rabbitmq_queue_messages_ready_bytes", "Size in bytes of ready messages",
       [](const plugin::QueueMetrics& q) { return double(q.message_bytes_ready); }},
      {"rabbitmq_queue_consumers", "Consumers on a queue",
       [](const plugin::QueueMetrics& q) { return double(q.consumers); }},
  };
  std::vector<std::string> labels;
  labels.reserve(m.queues.size());
  for (const auto& q : m.queues) labels.push_back(QueueLabels(q));
  for (const auto& f : kPerQueue) {
    w.Family(f.name, "gauge", f.help);
    for (size_t i = 0; i < m.queues.size(); ++i) w.Sample(f.name, labels[i], f.value(m.queues[i]));
  }
  return out;
}

}  // namespace warren::prometheus
