// Strong types for the identifiers the AMQP codec hands out (CONVENTIONS 10); the codec
// generator maps the spec's domains onto them (queue-name -> QueueName, delivery-tag ->
// DeliveryTag, path -> VhostName). They sit in namespace warren beside base/named.h's
// VhostName so the broker uses the very same types. Zero-cost value wrappers.
#pragma once

#include <cstdint>
#include <string>

#include "base/named.h"

namespace warren {

using QueueName = Named<std::string, struct QueueNameTag>;
using ExchangeName = Named<std::string, struct ExchangeNameTag>;
using ConsumerTag = Named<std::string, struct ConsumerTagTag>;
using DeliveryTag = Named<uint64_t, struct DeliveryTagTag>;
using ChannelId = Named<uint16_t, struct ChannelIdTag>;

}  // namespace warren
