// The metadata state machine (DESIGN decision 4): users, vhosts, permissions, topic
// permissions, policies, operator policies, runtime and global parameters, and the
// durable exchanges, queues and bindings the broker declares. It changes
// only through Apply(command), which is deterministic: the same commands in the same
// order give the same state on every node. A command that fails leaves the state as
// it was. Its snapshot is RabbitMQ's definitions JSON. Not thread-safe: owned by the
// node's control shard.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::meta {

using json = nlohmann::json;

struct User {
  std::string name;
  std::string password_hash;  // base64; empty = password login disabled
  std::string hashing_algorithm = "rabbit_password_hashing_sha256";
  std::vector<std::string> tags;
  json limits = json::object();  // {"max-connections": n, "max-channels": n}
};

struct Vhost {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string default_queue_type;  // empty = not set
  json limits = json::object();    // {"max-connections": n, "max-queues": n}
  bool tracing = false;
};

struct Permission {
  std::string configure, write, read;
};

struct TopicPermission {
  std::string write, read;
};

struct Policy {
  std::string vhost, name, pattern;
  std::string apply_to = "all";  // all | queues | exchanges | classic_queues | quorum_queues | streams
  int priority = 0;
  json definition = json::object();
};

struct Parameter {
  std::string vhost, component, name;
  json value;
};

// Exchanges, queues and bindings as the broker declared them; the broker checks
// equivalence and permissions before it submits, the state only records.
struct Exchange {
  std::string vhost, name, type;
  std::string node;  // for a non-durable one in a cluster: the holder that declared it
  bool durable = true;
  bool auto_delete = false;
  bool internal = false;
  json arguments = json::object();
};

struct Queue {
  std::string vhost, name;
  // The holder that holds it (base/node_env.h, HolderNode); empty on a standalone
  // node running one shard.
  std::string node;
  bool durable = true;
  bool auto_delete = false;
  json arguments = json::object();
  // Recorded so that other members and shards can route to it; it goes with its
  // connection (and is no definition).
  bool exclusive = false;
};

struct Binding {
  std::string vhost, source, destination;
  std::string destination_type = "queue";  // queue | exchange
  std::string routing_key;
  json arguments = json::object();
};

// A binding's identity: every field, the arguments as their (key-sorted) JSON dump.
// (vhost, source, destination_type, destination, routing_key, arguments)
using BindingKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
BindingKey KeyOf(const Binding& b);

// Keys are (user, vhost), (user, vhost, exchange), (vhost, name), (vhost, component, name).
using UserVhost = std::pair<std::string, std::string>;

class State {
 public:
  // A blank node: vhost "/" and user guest/guest (administrator) with full permissions
  // on it, as RabbitMQ's first boot creates. `guest_hash` is guest's password hash.
  static State Initial(const std::string& guest_hash);

  // Applies one command (see docs/metadata.md for the list). NotFound / AlreadyExists /
  // BadInput with rabbitmqctl's wording; the state is unchanged on error.
  Status Apply(const json& command);

  // RabbitMQ's definitions document for everything held here.
  json ToDefinitions() const;
  // The commands that turn a blank state into `definitions` (users, vhosts, ...).
  // BadInput naming the first malformed entry.
  static Result<std::vector<json>> CommandsFromDefinitions(const json& definitions);

  const std::map<std::string, User>& users() const { return users_; }
  const std::map<std::string, Vhost>& vhosts() const { return vhosts_; }
  const std::map<UserVhost, Permission>& permissions() const { return permissions_; }
  const std::map<std::tuple<std::string, std::string, std::string>, TopicPermission>&
  topic_permissions() const {
    return topic_permissions_;
  }
  const std::map<std::pair<std::string, std::string>, Policy>& policies() const {
    return policies_;
  }
  const std::map<std::pair<std::string, std::string>, Policy>& operator_policies() const {
    return operator_policies_;
  }
  const std::map<std::tuple<std::string, std::string, std::string>, Parameter>& parameters()
      const {
    return parameters_;
  }
  const std::map<std::string, json>& global_parameters() const { return global_parameters_; }
  // Keyed by (vhost, name).
  const std::map<std::pair<std::string, std::string>, Exchange>& exchanges() const {
    return exchanges_;
  }
  const std::map<std::pair<std::string, std::string>, Queue>& queues() const { return queues_; }
  // Equal bindings are held once.
  const std::map<BindingKey, Binding>& bindings() const { return bindings_; }
  // Counts the commands that changed exchanges, queues or bindings: engines that mirror
  // them look again when it moves.
  uint64_t entity_revision() const { return entity_revision_; }

  const User* FindUser(const std::string& name) const;
  const Vhost* FindVhost(const std::string& name) const;

 private:
  Status ApplyOne(const std::string& op, const json& c);
  // exchange.*, queue.*, binding.* (entities.cc); BadInput for any other op.
  Status ApplyEntity(const std::string& op, const json& c);
  // Drops what a deleted vhost held: exchanges, queues, bindings.
  void EraseVhostEntities(const std::string& vhost);
  // Drops what a forgotten cluster member held ("node.forget"): its queues and its
  // non-durable exchanges, with their bindings; only the non-durable queues and
  // exchanges when `transient_only` ("node.down": the member is down).
  void EraseNodeEntities(const std::string& node, bool transient_only);
  void EntitiesToDefinitions(json& d) const;
  static Status EntityCommandsFromDefinitions(const json& d, std::vector<json>& out);

  std::map<std::string, User> users_;
  std::map<std::string, Vhost> vhosts_;
  std::map<UserVhost, Permission> permissions_;
  std::map<std::tuple<std::string, std::string, std::string>, TopicPermission> topic_permissions_;
  std::map<std::pair<std::string, std::string>, Policy> policies_;
  std::map<std::pair<std::string, std::string>, Policy> operator_policies_;
  std::map<std::tuple<std::string, std::string, std::string>, Parameter> parameters_;
  std::map<std::string, json> global_parameters_;
  std::map<std::pair<std::string, std::string>, Exchange> exchanges_;
  std::map<std::pair<std::string, std::string>, Queue> queues_;
  std::map<BindingKey, Binding> bindings_;
  uint64_t entity_revision_ = 0;
};

// rabbitmqctl's wording for the common failures, shared by the ops and the state.
std::string NoSuchUser(const std::string& user);    // User "x" does not exist
std::string NoSuchVhost(const std::string& vhost);  // Virtual host 'x' does not exist

}  // namespace warren::meta
