// The Prometheus text exposition format (version 0.0.4) of a node's metrics, with
// RabbitMQ's metric names: the aggregated view (/metrics) and the per-object one
// (/metrics/per-object, one series per queue labelled vhost and queue).
#pragma once

#include <string>

#include "plugin/api.h"

namespace warren::prometheus {

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string Render(const plugin::NodeMetrics& m, bool per_object);

}  // namespace warren::prometheus
