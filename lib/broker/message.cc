#include "broker/message.h"

#include "amqp/codec_error.h"
#include "base/bytes.h"

namespace warren::broker {

Result<MessagePtr> WithProperties(const Message& m, amqp::BasicProperties properties) {
  auto copy = std::make_shared<Message>();
  copy->exchange = m.exchange;
  copy->routing_key = m.routing_key;
  copy->body = m.body;
  copy->properties = std::move(properties);
  WARREN_TRY(copy->properties.Encode(copy->encoded_properties));
  return MessagePtr(std::move(copy));
}

Status Refuse(uint16_t reply_code, const std::string& detail) {
  return amqp::CodecError(reply_code, std::string(amqp::ReplyCodeText(reply_code)) + " - " + detail);
}

std::string RandomName(const std::string& prefix) {
  std::string name = prefix + Base64Encode(RandomBytes(16));
  for (char& c : name) {
    if (c == '/') c = '_';
    if (c == '+') c = '-';
  }
  while (!name.empty() && name.back() == '=') name.pop_back();
  return name;
}

std::string ResourceName(const char* kind, const std::string& name, const std::string& vhost) {
  return std::string(kind) + " '" + name + "' in vhost '" + vhost + "'";
}

}  // namespace warren::broker
