// rabbitmq_prometheus: serves the node's metrics to Prometheus on port 15692
// (prometheus.tcp.port, prometheus.tcp.ip), aggregated on /metrics unless
// prometheus.return_per_object_metrics is true, and per object on /metrics/per-object.
#include <string>

#include "exposition.h"
#include "plugin/api.h"

namespace {

using namespace warren;

// A setting's value as a string ("15692" and 15692 alike), or `fallback`.
std::string Setting(const plugin::json& s, const char* key, const std::string& fallback) {
  if (!s.is_object() || !s.contains(key)) return fallback;
  const auto& v = s[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

class Prometheus : public plugin::Plugin {
 public:
  Status Start(plugin::Context& ctx) override {
    const plugin::json s = ctx.settings();
    plugin::HttpListenerSpec l;
    l.protocol = "http/prometheus";
    l.purpose = "Prometheus exporter API over HTTP";
    const std::string port = Setting(s, "prometheus.tcp.port", "15692");
    char* end = nullptr;
    const long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end || p < 0 || p > 65535)
      return Status::BadInput("prometheus.tcp.port must be a port number, not '" + port + "'");
    l.port = int(p);
    l.interface = Setting(s, "prometheus.tcp.ip", "::");
    const bool per_object_default = Setting(s, "prometheus.return_per_object_metrics", "false") == "true";

    auto serve = [&ctx](bool per_object) {
      return [&ctx, per_object](const http::Request&) {
        http::Response r;
        r.headers["content-type"] = prometheus::kContentType;
        r.body = prometheus::Render(ctx.Metrics(per_object), per_object);
        return r;
      };
    };
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/metrics", serve(per_object_default)));
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/metrics/per-object", serve(true)));
    ctx.Log(plugin::LogLevel::kInfo, "Prometheus metrics: HTTP (non-TLS) listener started on port " +
                                         std::to_string(l.port));
    return Status::OK();
  }
};

}  // namespace

WARREN_PLUGIN(Prometheus)
