#include "broker/message.h"

#include "amqp/codec_error.h"
#include "amqp/wire.h"
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

std::string SerializeMessage(const Message& m) {
  std::string out;
  out.reserve(16 + m.exchange.size() + m.routing_key.size() + m.encoded_properties.size() +
              m.body.size());
  AppendMessage(out, m);
  return out;
}

void AppendMessage(std::string& out, const Message& m) {
  amqp::Writer w(out);
  w.U8(1);  // format version
  for (const std::string* part : {&m.exchange, &m.routing_key, &m.encoded_properties}) {
    w.U32(uint32_t(part->size()));
    w.Bytes(*part);
  }
  w.Bytes(m.body);
}

Result<MessagePtr> DeserializeMessage(std::string_view bytes) {
  amqp::Reader r(bytes);
  if (r.U8() != 1) return Status::BadInput("stored message: unknown format");
  auto m = std::make_shared<Message>();
  for (std::string* part : {&m->exchange, &m->routing_key, &m->encoded_properties})
    *part = std::string(r.Take(r.U32()));
  if (r.failed()) return Status::BadInput("stored message: " + r.error());
  m->body = std::string(r.Take(r.remaining()));
  amqp::Reader props(m->encoded_properties);
  m->properties.Decode(props);
  if (props.failed()) return Status::BadInput("stored message properties: " + props.error());
  return MessagePtr(std::move(m));
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
