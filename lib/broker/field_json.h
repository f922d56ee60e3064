// AMQP field tables as JSON, both ways, the way RabbitMQ's JSON formatter and
// management API show them: a table is an object (an empty one is [], as rabbitmqctl
// prints empty arguments), an array a list, a timestamp its seconds, bytes and decimals
// their text/number, void null. From JSON: strings are 'S', integers 'l', other numbers
// 'd', booleans 't', lists 'A', objects 'F', null 'V'. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "amqp/field_table.h"
#include "amqp/spec.h"
#include "base/status.h"

namespace warren::broker {

nlohmann::json FieldTableToJson(const amqp::FieldTable& table);
nlohmann::json FieldValueToJson(const amqp::FieldValue& value);
// BadInput unless `doc` is an object (or null / an empty list: an empty table).
Result<amqp::FieldTable> FieldTableFromJson(const nlohmann::json& doc);

// basic.properties as an object of the fields that are set, named as in the spec
// (content_type, delivery_mode, headers, ...), and back: BadInput for an unknown field
// or a value of the wrong type.
nlohmann::json PropertiesToJson(const amqp::BasicProperties& p);
Result<amqp::BasicProperties> PropertiesFromJson(const nlohmann::json& doc);

}  // namespace warren::broker
