// A published message as queues hold it: immutable once routed and shared by every
// queue it was routed to. Its properties are kept decoded (for routing, TTL, priority
// and dead-lettering) and encoded (re-sent byte for byte on every delivery).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "amqp/frame.h"
#include "base/status.h"

namespace warren::broker {

struct Message {
  std::string exchange;
  std::string routing_key;
  amqp::BasicProperties properties;
  std::string encoded_properties;
  std::string body;

  bool persistent() const { return properties.delivery_mode.value_or(1) == 2; }
  uint8_t priority() const { return properties.priority.value_or(0); }
};
using MessagePtr = std::shared_ptr<const Message>;

// A message with new properties (dead-lettering rewrites headers): re-encodes them.
Result<MessagePtr> WithProperties(const Message& m, amqp::BasicProperties properties);

// The bytes a persistent message is stored as (exchange, routing key, encoded
// properties, body), and back; BadInput for bytes that are not one.
std::string SerializeMessage(const Message& m);
void AppendMessage(std::string& out, const Message& m);  // the same bytes, appended
Result<MessagePtr> DeserializeMessage(std::string_view bytes);

// A channel or connection exception as RabbitMQ words it: "<CODE_NAME> - <detail>",
// carrying the reply code (amqp/codec_error.h).
Status Refuse(uint16_t reply_code, const std::string& detail);

// `prefix` followed by 22 random URL-safe base64 characters: server-named queues
// ("amq.gen-") and consumer tags ("amq.ctag-"), as RabbitMQ makes them.
std::string RandomName(const std::string& prefix);

// "queue 'q' in vhost '/'", as reply texts name resources.
std::string ResourceName(const char* kind, const std::string& name, const std::string& vhost);

}  // namespace warren::broker
