// warren's version, and the RabbitMQ version whose tools and wire behaviour it mirrors.
#pragma once

namespace warren {
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kRabbitmqCompatVersion = "3.10.8";
}  // namespace warren
