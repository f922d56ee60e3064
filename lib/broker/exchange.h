// Exchanges and their bindings: direct, fanout, topic and headers routing, as RabbitMQ
// routes. An exchange only knows the names of its destinations (queues or, for
// exchange-to-exchange bindings, exchanges); the vhost resolves them. Owned by a vhost.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "amqp/field_table.h"
#include "plugin/api.h"

namespace warren::broker {

// kCustom: a type a plugin registered (ExchangeSpec::custom routes).
enum class ExchangeType { kDirect, kFanout, kTopic, kHeaders, kCustom };
std::optional<ExchangeType> ParseExchangeType(std::string_view name);
std::string_view ExchangeTypeName(ExchangeType type);

struct Destination {
  std::string name;
  bool exchange = false;  // an exchange-to-exchange binding
  bool operator==(const Destination&) const = default;
};

struct Binding {
  Destination destination;
  std::string key;
  amqp::FieldTable args;
  bool operator==(const Binding&) const = default;
};

struct ExchangeSpec {
  std::string name;
  ExchangeType type = ExchangeType::kDirect;
  bool durable = false;
  bool auto_delete = false;
  bool internal = false;
  amqp::FieldTable args;
  // kCustom only: the registered type's name and routing.
  std::string custom_name;
  std::shared_ptr<plugin::ExchangeType> custom;
};

// The exchange's type as declared: "direct", ..., or a plugin type's name.
std::string TypeName(const ExchangeSpec& spec);

class Exchange {
 public:
  explicit Exchange(ExchangeSpec spec) : spec_(std::move(spec)) {}
  // Tells this exchange from a later one of the same name (set by its vhost).
  uint64_t incarnation = 0;

  const ExchangeSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }

  // False when an equal binding is already there.
  bool Bind(Binding b);
  // False when there was no such binding.
  bool Unbind(const Binding& b);
  // Drops every binding to `d` (a deleted queue or exchange); how many were dropped.
  size_t RemoveDestination(const Destination& d);
  const std::vector<Binding>& bindings() const { return bindings_; }

  // Appends the destinations a message with `routing_key` and `headers` goes to; a
  // destination bound twice may appear twice.
  void Route(const std::string& routing_key, const amqp::FieldTable* headers,
             std::vector<const Destination*>& out) const;

 private:
  void Reindex();

  ExchangeSpec spec_;
  std::vector<Binding> bindings_;
  std::unordered_map<std::string, std::vector<size_t>> by_key_;  // direct exchanges
};

// '*' stands for one word, '#' for zero or more; words are separated by '.'.
bool TopicMatches(std::string_view pattern, std::string_view key);
// x-match all (default) / any / all-with-x / any-with-x over the binding's arguments.
bool HeadersMatch(const amqp::FieldTable& binding_args, const amqp::FieldTable* headers);

}  // namespace warren::broker
