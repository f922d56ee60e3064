#include "broker/field_json.h"

#include <cmath>
#include <type_traits>

namespace warren::broker {
namespace {

amqp::FieldValue ValueFromJson(const nlohmann::json& v) {
  if (v.is_string()) return amqp::FieldValue(v.get<std::string>());
  if (v.is_boolean()) return amqp::FieldValue(v.get<bool>());
  if (v.is_number_integer()) return amqp::FieldValue(v.get<int64_t>());
  if (v.is_number()) return amqp::FieldValue(v.get<double>());
  if (v.is_array()) {
    amqp::FieldArray a;
    for (const auto& e : v) a.push_back(ValueFromJson(e));
    return amqp::FieldValue(std::move(a));
  }
  if (v.is_object()) {
    amqp::FieldTable t;
    for (const auto& [k, e] : v.items()) t.entries.push_back({k, ValueFromJson(e)});
    return amqp::FieldValue(std::move(t));
  }
  return amqp::FieldValue();
}

}  // namespace

nlohmann::json FieldValueToJson(const amqp::FieldValue& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, amqp::Int64L>) return v.value;
        else if constexpr (std::is_same_v<T, amqp::Decimal>)
          return double(v.value) / std::pow(10.0, v.scale);
        else if constexpr (std::is_same_v<T, amqp::ByteArray>) return v.bytes;
        else if constexpr (std::is_same_v<T, amqp::Timestamp>) return v.seconds;
        else if constexpr (std::is_same_v<T, amqp::Void>) return nullptr;
        else if constexpr (std::is_same_v<T, amqp::FieldTable>) return FieldTableToJson(v);
        else if constexpr (std::is_same_v<T, amqp::FieldArray>) {
          nlohmann::json a = nlohmann::json::array();
          for (const auto& e : v) a.push_back(FieldValueToJson(e));
          return a;
        } else return v;
      },
      value.value);
}

nlohmann::json FieldTableToJson(const amqp::FieldTable& table) {
  if (table.entries.empty()) return nlohmann::json::array();
  nlohmann::json out = nlohmann::json::object();
  // The first of repeated names wins, as FieldTable::Find reads them.
  for (const auto& e : table.entries)
    if (!out.contains(e.name)) out[e.name] = FieldValueToJson(e.value);
  return out;
}

Result<amqp::FieldTable> FieldTableFromJson(const nlohmann::json& doc) {
  if (doc.is_null() || (doc.is_array() && doc.empty())) return amqp::FieldTable{};
  if (!doc.is_object()) return Status::BadInput("arguments must be a JSON object");
  return std::get<amqp::FieldTable>(ValueFromJson(doc).value);
}

namespace {

// Every string field of basic.properties with its name.
template <typename P, typename F>
void ForEachStringField(P& p, F&& f) {
  f("content_type", p.content_type);
  f("content_encoding", p.content_encoding);
  f("correlation_id", p.correlation_id);
  f("reply_to", p.reply_to);
  f("expiration", p.expiration);
  f("message_id", p.message_id);
  f("type", p.type);
  f("user_id", p.user_id);
  f("app_id", p.app_id);
  f("cluster_id", p.reserved);
}

}  // namespace

nlohmann::json PropertiesToJson(const amqp::BasicProperties& p) {
  nlohmann::json out = nlohmann::json::object();
  ForEachStringField(p, [&](const char* name, const std::optional<std::string>& v) {
    if (v) out[name] = *v;
  });
  if (p.delivery_mode) out["delivery_mode"] = *p.delivery_mode;
  if (p.priority) out["priority"] = *p.priority;
  if (p.timestamp) out["timestamp"] = *p.timestamp;
  if (p.headers) out["headers"] = FieldTableToJson(*p.headers);
  return out;
}

Result<amqp::BasicProperties> PropertiesFromJson(const nlohmann::json& doc) {
  amqp::BasicProperties p;
  if (doc.is_null()) return p;
  if (!doc.is_object()) return Status::BadInput("properties must be a JSON object");
  for (const auto& [key, v] : doc.items()) {
    bool known = false;
    Status bad = Status::OK();
    ForEachStringField(p, [&](const char* name, std::optional<std::string>& field) {
      if (key != name) return;
      known = true;
      if (v.is_string()) field = v.get<std::string>();
      else bad = Status::BadInput("property " + key + " must be a string");
    });
    if (!bad.ok()) return bad;
    if (known) continue;
    auto small = [&](std::optional<uint8_t>& field) -> Status {
      if (!v.is_number_unsigned() || v.get<uint64_t>() > 255)
        return Status::BadInput("property " + key + " must be an integer from 0 to 255");
      field = uint8_t(v.get<uint64_t>());
      return Status::OK();
    };
    if (key == "delivery_mode") {
      WARREN_TRY(small(p.delivery_mode));
    } else if (key == "priority") {
      WARREN_TRY(small(p.priority));
    } else if (key == "timestamp") {
      if (!v.is_number_unsigned())
        return Status::BadInput("property timestamp must be seconds since the epoch");
      p.timestamp = v.get<uint64_t>();
    } else if (key == "headers") {
      if (!v.is_object()) return Status::BadInput("property headers must be a JSON object");
      WARREN_ASSIGN_OR_RETURN(p.headers, FieldTableFromJson(v));
    } else {
      return Status::BadInput("unknown property " + key);
    }
  }
  return p;
}

}  // namespace warren::broker
