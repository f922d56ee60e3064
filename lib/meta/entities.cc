// Durable exchanges, queues and bindings in the metadata state machine, and their
// sections of the definitions document (docs/metadata.md).
#include <set>
#include "base/node_env.h"
#include "meta/internal/fields.h"
#include "meta/state.h"

namespace warren::meta {
namespace {

using internal::EraseIf;
using internal::Str;

Result<bool> Bool(const json& c, const char* key, bool def) {
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) return def;
  if (!it->is_boolean()) return Status::BadInput(std::string("field '") + key + "' must be a boolean");
  return it->get<bool>();
}

// Absent, null and RabbitMQ's empty Erlang list `[]` all mean no arguments.
Result<json> Arguments(const json& c) {
  auto it = c.find("arguments");
  if (it == c.end() || it->is_null() || (it->is_array() && it->empty())) return json::object();
  if (!it->is_object()) return Status::BadInput("field 'arguments' must be a JSON object");
  return *it;
}

// RabbitMQ's resource names, as its NOT_FOUND replies print them.
std::string Resource(const std::string& kind, const std::string& name, const std::string& vhost) {
  return kind + " '" + name + "' in vhost '" + vhost + "'";
}

Result<Binding> BindingFrom(const json& c) {
  Binding b;
  WARREN_ASSIGN_OR_RETURN(b.vhost, Str(c, "vhost"));
  WARREN_ASSIGN_OR_RETURN(b.source, Str(c, "source"));
  WARREN_ASSIGN_OR_RETURN(b.destination, Str(c, "destination"));
  WARREN_ASSIGN_OR_RETURN(b.destination_type, Str(c, "destination_type"));
  if (b.destination_type != "queue" && b.destination_type != "exchange")
    return Status::BadInput("field 'destination_type' must be \"queue\" or \"exchange\"");
  b.routing_key = internal::StrOr(c, "routing_key", "");
  if (c.contains("routing_key") && !c["routing_key"].is_string())
    return Status::BadInput("field 'routing_key' must be a string");
  WARREN_ASSIGN_OR_RETURN(b.arguments, Arguments(c));
  return b;
}

// The type RabbitMQ 3.10 exports beside a queue: its x-queue-type, classic otherwise.
std::string QueueType(const Queue& q) {
  auto it = q.arguments.find("x-queue-type");
  return it != q.arguments.end() && it->is_string() ? it->get<std::string>() : "classic";
}

// A command holding the entry's fields named in `keys` (others are dropped).
json Pick(const json& entry, const char* op, std::initializer_list<const char*> keys) {
  json c = {{"op", op}};
  for (const char* k : keys)
    if (auto it = entry.find(k); it != entry.end()) c[k] = *it;
  return c;
}

}  // namespace

BindingKey KeyOf(const Binding& b) {
  return {b.vhost, b.source, b.destination_type, b.destination, b.routing_key,
          b.arguments.dump()};
}

Status State::ApplyEntity(const std::string& op, const json& c) {
  ++entity_revision_;
  if (op == "exchange.declare") {
    Exchange x;
    WARREN_ASSIGN_OR_RETURN(x.vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(x.name, Str(c, "name"));
    WARREN_ASSIGN_OR_RETURN(x.type, Str(c, "type"));
    WARREN_ASSIGN_OR_RETURN(x.durable, Bool(c, "durable", true));
    WARREN_ASSIGN_OR_RETURN(x.auto_delete, Bool(c, "auto_delete", false));
    WARREN_ASSIGN_OR_RETURN(x.internal, Bool(c, "internal", false));
    WARREN_ASSIGN_OR_RETURN(x.arguments, Arguments(c));
    if (auto n = c.find("node"); n != c.end() && n->is_string()) x.node = n->get<std::string>();
    if (!vhosts_.count(x.vhost)) return Status::NotFound(NoSuchVhost(x.vhost), "vhost");
    // Every node predeclares these; holding them would make snapshots lossy, since
    // imports skip them as RabbitMQ's does.
    if (x.name.empty())
      return Status::AccessRefused("operation not permitted on the default exchange", "exchange");
    if (x.name.rfind("amq.", 0) == 0) {
      return Status::AccessRefused("exchange name '" + x.name + "' contains reserved prefix 'amq.*'",
                                   "exchange");
    }
    exchanges_[{x.vhost, x.name}] = std::move(x);
    return Status::OK();
  }
  if (op == "queue.declare") {
    Queue q;
    WARREN_ASSIGN_OR_RETURN(q.vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(q.name, Str(c, "name"));
    WARREN_ASSIGN_OR_RETURN(q.durable, Bool(c, "durable", true));
    WARREN_ASSIGN_OR_RETURN(q.auto_delete, Bool(c, "auto_delete", false));
    WARREN_ASSIGN_OR_RETURN(q.exclusive, Bool(c, "exclusive", false));
    WARREN_ASSIGN_OR_RETURN(q.arguments, Arguments(c));
    if (auto n = c.find("node"); n != c.end() && n->is_string()) q.node = n->get<std::string>();
    if (!vhosts_.count(q.vhost)) return Status::NotFound(NoSuchVhost(q.vhost), "vhost");
    // Two members declaring the same new queue at once: the first to commit holds it.
    if (auto it = queues_.find({q.vhost, q.name});
        it != queues_.end() && !it->second.node.empty() && !q.node.empty() && it->second.node != q.node)
      return Status::AlreadyExists(Resource("queue", q.name, q.vhost) + " is held by node " +
                                       it->second.node, "queue");
    queues_[{q.vhost, q.name}] = std::move(q);
    return Status::OK();
  }
  if (op == "exchange.delete" || op == "queue.delete") {
    WARREN_ASSIGN_OR_RETURN(std::string vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    const bool exchange = op == "exchange.delete";
    const std::string kind = exchange ? "exchange" : "queue";
    // With "node": only the record that member made (a restarted member removing its
    // non-durable ones must not take a newer one another member made since).
    if (auto n = c.find("node"); n != c.end() && n->is_string()) {
      const std::string* holder = nullptr;
      if (exchange) {
        if (auto it = exchanges_.find({vhost, name}); it != exchanges_.end()) holder = &it->second.node;
      } else if (auto it = queues_.find({vhost, name}); it != queues_.end()) {
        holder = &it->second.node;
      }
      if (!holder || *holder != n->get<std::string>())
        return Status::NotFound("no " + Resource(kind, name, vhost) + " of node " +
                                    n->get<std::string>(), kind);
    }
    const size_t erased = exchange ? exchanges_.erase({vhost, name}) : queues_.erase({vhost, name});
    if (erased == 0) return Status::NotFound("no " + Resource(kind, name, vhost), kind);
    // Bindings naming it go with it: as destination, and for an exchange as source.
    EraseIf(bindings_, [&](const BindingKey& k) {
      const auto& [v, source, dtype, destination, rk, args] = k;
      return v == vhost && ((exchange && source == name) || (dtype == kind && destination == name));
    });
    return Status::OK();
  }
  if (op == "binding.add" || op == "binding.delete") {
    WARREN_ASSIGN_OR_RETURN(Binding b, BindingFrom(c));
    if (op == "binding.delete") {
      if (bindings_.erase(KeyOf(b)) == 0) {
        return Status::NotFound("no binding " + b.routing_key + " between " +
                                    Resource("exchange", b.source, b.vhost) + " and " +
                                    Resource(b.destination_type, b.destination, b.vhost),
                                "binding");
      }
      return Status::OK();
    }
    // Source and destination are not required to be held here: RabbitMQ's own exports
    // carry bindings of exchanges they leave out (federation's internal ones, for one).
    if (!vhosts_.count(b.vhost)) return Status::NotFound(NoSuchVhost(b.vhost), "vhost");
    bindings_[KeyOf(b)] = std::move(b);
    return Status::OK();
  }
  return Status::BadInput("unknown metadata command '" + op + "'");
}

void State::EraseNodeEntities(const std::string& node, bool transient_only) {
  ++entity_revision_;
  std::set<std::pair<std::string, std::string>> queues, exchanges;
  for (const auto& [k, q] : queues_)
    if (HolderNode(q.node) == node && !(transient_only && q.durable)) queues.insert(k);
  for (const auto& [k, x] : exchanges_)
    if (!x.durable && HolderNode(x.node) == node) exchanges.insert(k);
  EraseIf(queues_, [&](const auto& k) { return queues.count(k) > 0; });
  EraseIf(exchanges_, [&](const auto& k) { return exchanges.count(k) > 0; });
  EraseIf(bindings_, [&](const BindingKey& k) {
    const auto& [v, source, dtype, destination, rk, args] = k;
    return exchanges.count({v, source}) ||
           (dtype == "queue" ? queues.count({v, destination}) : exchanges.count({v, destination}));
  });
}

void State::EraseVhostEntities(const std::string& vhost) {
  ++entity_revision_;
  EraseIf(exchanges_, [&](const auto& k) { return k.first == vhost; });
  EraseIf(queues_, [&](const auto& k) { return k.first == vhost; });
  EraseIf(bindings_, [&](const BindingKey& k) { return std::get<0>(k) == vhost; });
}

// The shapes of RabbitMQ 3.10.8's export (shared/reference/rabbitmq-3.10.8/definitions.txt):
// queues carry their type, exchanges carry no "internal". warren adds "internal": true
// for an internal exchange, which RabbitMQ's import reads, so a round trip keeps it.
void State::EntitiesToDefinitions(json& d) const {
  json queues = json::array();
  for (const auto& [_, q] : queues_) {
    json e = {{"name", q.name}, {"vhost", q.vhost}, {"durable", q.durable},
              {"auto_delete", q.auto_delete}, {"arguments", q.arguments}, {"type", QueueType(q)}};
    // The member that holds a clustered queue (RabbitMQ keeps it out of its export; a
    // cluster's snapshot needs it). A standalone node's queues name none.
    if (!q.node.empty()) e["node"] = q.node;
    if (q.exclusive) e["exclusive"] = true;
    queues.push_back(std::move(e));
  }
  d["queues"] = std::move(queues);
  json exchanges = json::array();
  for (const auto& [_, x] : exchanges_) {
    json e = {{"name", x.name},          {"vhost", x.vhost},
              {"type", x.type},          {"durable", x.durable},
              {"auto_delete", x.auto_delete}, {"arguments", x.arguments}};
    if (x.internal) e["internal"] = true;
    if (!x.node.empty()) e["node"] = x.node;
    exchanges.push_back(std::move(e));
  }
  d["exchanges"] = std::move(exchanges);
  json bindings = json::array();
  for (const auto& [_, b] : bindings_) {
    bindings.push_back({{"source", b.source}, {"vhost", b.vhost}, {"destination", b.destination},
                        {"destination_type", b.destination_type},
                        {"routing_key", b.routing_key}, {"arguments", b.arguments}});
  }
  d["bindings"] = std::move(bindings);
}

Status State::EntityCommandsFromDefinitions(const json& d, std::vector<json>& out) {
  WARREN_ASSIGN_OR_RETURN(json exchanges, internal::Section(d, "exchanges"));
  for (size_t i = 0; i < exchanges.size(); ++i) {
    const json& e = exchanges[i];
    if (!e.is_object()) return internal::EntryError("exchanges", i, Status::BadInput("must be an object"));
    // RabbitMQ's import skips the default exchange and the reserved amq.* ones, which
    // every node predeclares.
    const std::string name = internal::StrOr(e, "name", "");
    if (e.contains("name") && e["name"].is_string() && (name.empty() || name.rfind("amq.", 0) == 0))
      continue;
    out.push_back(Pick(e, "exchange.declare", {"vhost", "name", "type", "durable", "auto_delete", "node",
                                               "internal", "arguments"}));
  }
  WARREN_ASSIGN_OR_RETURN(json queues, internal::Section(d, "queues"));
  for (size_t i = 0; i < queues.size(); ++i) {
    const json& q = queues[i];
    if (!q.is_object()) return internal::EntryError("queues", i, Status::BadInput("must be an object"));
    json c = Pick(q, "queue.declare", {"vhost", "name", "durable", "auto_delete", "exclusive", "arguments", "node"});
    // The export's "type" is derived from x-queue-type; keep it if only the type says so.
    if (const std::string type = internal::StrOr(q, "type", "classic"); type != "classic") {
      auto args = Arguments(q);
      if (!args.ok()) return internal::EntryError("queues", i, args.status());
      if (!args->contains("x-queue-type")) (*args)["x-queue-type"] = type;
      c["arguments"] = *args;
    }
    out.push_back(std::move(c));
  }
  WARREN_ASSIGN_OR_RETURN(json bindings, internal::Section(d, "bindings"));
  for (size_t i = 0; i < bindings.size(); ++i) {
    const json& b = bindings[i];
    if (!b.is_object()) return internal::EntryError("bindings", i, Status::BadInput("must be an object"));
    out.push_back(Pick(b, "binding.add", {"vhost", "source", "destination", "destination_type",
                                          "routing_key", "arguments"}));
  }
  return Status::OK();
}

}  // namespace warren::meta
