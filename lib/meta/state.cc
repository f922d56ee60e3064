#include "meta/state.h"

#include <algorithm>

#include "meta/internal/fields.h"

namespace warren::meta {
namespace {

using internal::EraseIf;
using internal::Str;
using internal::StrOr;

Result<std::vector<std::string>> Tags(const json& c, const char* key) {
  std::vector<std::string> tags;
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) return tags;
  if (it->is_string()) {
    // RabbitMQ's definitions sometimes carry tags as one comma-separated string.
    std::string s = it->get<std::string>();
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string t = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      t.erase(0, t.find_first_not_of(' '));
      t.erase(t.find_last_not_of(' ') + 1);
      if (!t.empty()) tags.push_back(t);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return tags;
  }
  if (!it->is_array()) return Status::BadInput(std::string("field '") + key + "' must be a list");
  for (const auto& t : *it) {
    if (!t.is_string()) return Status::BadInput(std::string("field '") + key + "' must hold strings");
    tags.push_back(t.get<std::string>());
  }
  return tags;
}

json TagsJson(const std::vector<std::string>& tags) { return json(tags); }

Result<Policy> PolicyFrom(const json& c) {
  Policy p;
  WARREN_ASSIGN_OR_RETURN(p.vhost, Str(c, "vhost"));
  WARREN_ASSIGN_OR_RETURN(p.name, Str(c, "name"));
  WARREN_ASSIGN_OR_RETURN(p.pattern, Str(c, "pattern"));
  p.apply_to = StrOr(c, "apply-to", "all");
  if (auto it = c.find("priority"); it != c.end()) {
    if (!it->is_number_integer()) return Status::BadInput("field 'priority' must be an integer");
    p.priority = it->get<int>();
  }
  auto def = c.find("definition");
  if (def == c.end() || !def->is_object())
    return Status::BadInput("field 'definition' must be a JSON object");
  p.definition = *def;
  return p;
}

json PolicyJson(const Policy& p) {
  return {{"vhost", p.vhost},       {"name", p.name},         {"pattern", p.pattern},
          {"apply-to", p.apply_to}, {"definition", p.definition}, {"priority", p.priority}};
}

}  // namespace

std::string NoSuchUser(const std::string& user) { return "User \"" + user + "\" does not exist"; }
std::string NoSuchVhost(const std::string& vhost) {
  return "Virtual host '" + vhost + "' does not exist";
}

State State::Initial(const std::string& guest_hash) {
  State s;
  Vhost root;
  root.name = "/";
  root.description = "Default virtual host";
  s.vhosts_["/"] = root;
  User guest;
  guest.name = "guest";
  guest.password_hash = guest_hash;
  guest.tags = {"administrator"};
  s.users_["guest"] = guest;
  s.permissions_[{"guest", "/"}] = Permission{".*", ".*", ".*"};
  return s;
}

const User* State::FindUser(const std::string& name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

const Vhost* State::FindVhost(const std::string& name) const {
  auto it = vhosts_.find(name);
  return it == vhosts_.end() ? nullptr : &it->second;
}

Status State::Apply(const json& command) {
  if (!command.is_object()) return Status::BadInput("a metadata command must be a JSON object");
  WARREN_ASSIGN_OR_RETURN(std::string op, Str(command, "op"));
  if (op == "batch") {
    // All or nothing: apply to a copy, keep it only if every command applied.
    auto it = command.find("commands");
    if (it == command.end() || !it->is_array())
      return Status::BadInput("field 'commands' must be a list");
    State copy = *this;
    for (const auto& c : *it) WARREN_TRY(copy.Apply(c));
    *this = std::move(copy);
    return Status::OK();
  }
  return ApplyOne(op, command);
}

Status State::ApplyOne(const std::string& op, const json& c) {
  // Users.
  if (op == "user.add" || op == "user.put") {
    User u;
    WARREN_ASSIGN_OR_RETURN(u.name, Str(c, "name"));
    u.password_hash = StrOr(c, "password_hash", "");
    u.hashing_algorithm = StrOr(c, "hashing_algorithm", "rabbit_password_hashing_sha256");
    WARREN_ASSIGN_OR_RETURN(u.tags, Tags(c, "tags"));
    if (auto l = c.find("limits"); l != c.end() && l->is_object()) u.limits = *l;
    if (op == "user.add" && users_.count(u.name))
      return Status::AlreadyExists("User \"" + u.name + "\" already exists", "user");
    users_[u.name] = std::move(u);
    return Status::OK();
  }
  if (op == "user.delete" || op == "user.set_password_hash" || op == "user.set_tags" ||
      op == "user.set_limits") {
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    auto it = users_.find(name);
    if (it == users_.end()) return Status::NotFound(NoSuchUser(name), "user");
    if (op == "user.delete") {
      users_.erase(it);
      EraseIf(permissions_, [&](const UserVhost& k) { return k.first == name; });
      EraseIf(topic_permissions_, [&](const auto& k) { return std::get<0>(k) == name; });
    } else if (op == "user.set_password_hash") {
      it->second.password_hash = StrOr(c, "password_hash", "");
      it->second.hashing_algorithm =
          StrOr(c, "hashing_algorithm", "rabbit_password_hashing_sha256");
    } else if (op == "user.set_tags") {
      WARREN_ASSIGN_OR_RETURN(it->second.tags, Tags(c, "tags"));
    } else {
      auto l = c.find("limits");
      if (l == c.end() || !l->is_object()) return Status::BadInput("field 'limits' must be an object");
      it->second.limits = *l;
    }
    return Status::OK();
  }

  // Virtual hosts.
  if (op == "vhost.add" || op == "vhost.put") {
    Vhost v;
    WARREN_ASSIGN_OR_RETURN(v.name, Str(c, "name"));
    if (op == "vhost.add" && vhosts_.count(v.name)) return Status::OK();  // idempotent
    if (auto old = vhosts_.find(v.name); old != vhosts_.end()) v = old->second;
    if (c.contains("description")) v.description = StrOr(c, "description", "");
    if (c.contains("tags")) {
      WARREN_ASSIGN_OR_RETURN(v.tags, Tags(c, "tags"));
    }
    if (c.contains("default_queue_type"))
      v.default_queue_type = StrOr(c, "default_queue_type", "");
    if (auto l = c.find("limits"); l != c.end() && l->is_object()) v.limits = *l;
    if (auto t = c.find("tracing"); t != c.end() && t->is_boolean()) v.tracing = t->get<bool>();
    vhosts_[v.name] = std::move(v);
    return Status::OK();
  }
  if (op == "vhost.delete" || op == "vhost.set_limits" || op == "vhost.set_tags" ||
      op == "vhost.set_tracing") {
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    auto it = vhosts_.find(name);
    if (it == vhosts_.end()) return Status::NotFound(NoSuchVhost(name), "vhost");
    if (op == "vhost.delete") {
      vhosts_.erase(it);
      EraseIf(permissions_, [&](const UserVhost& k) { return k.second == name; });
      EraseIf(topic_permissions_, [&](const auto& k) { return std::get<1>(k) == name; });
      EraseIf(policies_, [&](const auto& k) { return k.first == name; });
      EraseIf(operator_policies_, [&](const auto& k) { return k.first == name; });
      EraseIf(parameters_, [&](const auto& k) { return std::get<0>(k) == name; });
      EraseVhostEntities(name);
    } else if (op == "vhost.set_limits") {
      auto l = c.find("limits");
      if (l == c.end() || !l->is_object()) return Status::BadInput("field 'limits' must be an object");
      it->second.limits = *l;
    } else if (op == "vhost.set_tags") {
      WARREN_ASSIGN_OR_RETURN(it->second.tags, Tags(c, "tags"));
    } else {
      auto t = c.find("tracing");
      if (t == c.end() || !t->is_boolean()) return Status::BadInput("field 'tracing' must be a boolean");
      it->second.tracing = t->get<bool>();
    }
    return Status::OK();
  }

  // Permissions and topic permissions: the user and the vhost must exist.
  if (op.rfind("permission.", 0) == 0 || op.rfind("topic_permission.", 0) == 0) {
    WARREN_ASSIGN_OR_RETURN(std::string user, Str(c, "user"));
    WARREN_ASSIGN_OR_RETURN(std::string vhost, Str(c, "vhost"));
    if (!users_.count(user)) return Status::NotFound(NoSuchUser(user), "user");
    if (!vhosts_.count(vhost)) return Status::NotFound(NoSuchVhost(vhost), "vhost");
    if (op == "permission.set") {
      Permission p;
      WARREN_ASSIGN_OR_RETURN(p.configure, Str(c, "configure"));
      WARREN_ASSIGN_OR_RETURN(p.write, Str(c, "write"));
      WARREN_ASSIGN_OR_RETURN(p.read, Str(c, "read"));
      permissions_[{user, vhost}] = p;
      return Status::OK();
    }
    if (op == "permission.clear") {
      permissions_.erase({user, vhost});
      return Status::OK();
    }
    if (op == "topic_permission.set") {
      TopicPermission p;
      WARREN_ASSIGN_OR_RETURN(std::string exchange, Str(c, "exchange"));
      WARREN_ASSIGN_OR_RETURN(p.write, Str(c, "write"));
      WARREN_ASSIGN_OR_RETURN(p.read, Str(c, "read"));
      topic_permissions_[{user, vhost, exchange}] = p;
      return Status::OK();
    }
    if (op == "topic_permission.clear") {
      std::string exchange = StrOr(c, "exchange", "");
      EraseIf(topic_permissions_, [&](const auto& k) {
        return std::get<0>(k) == user && std::get<1>(k) == vhost &&
               (exchange.empty() || std::get<2>(k) == exchange);
      });
      return Status::OK();
    }
  }

  // Policies and operator policies: the vhost must exist.
  if (op == "policy.set" || op == "operator_policy.set") {
    WARREN_ASSIGN_OR_RETURN(Policy p, PolicyFrom(c));
    if (!vhosts_.count(p.vhost)) return Status::NotFound(NoSuchVhost(p.vhost), "vhost");
    auto& m = op == "policy.set" ? policies_ : operator_policies_;
    m[{p.vhost, p.name}] = std::move(p);
    return Status::OK();
  }
  if (op == "policy.clear" || op == "operator_policy.clear") {
    WARREN_ASSIGN_OR_RETURN(std::string vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    auto& m = op == "policy.clear" ? policies_ : operator_policies_;
    if (m.erase({vhost, name}) == 0) return Status::NotFound("Parameter does not exist", "policy");
    return Status::OK();
  }

  // Runtime parameters (per vhost) and global parameters.
  if (op == "parameter.set") {
    Parameter p;
    WARREN_ASSIGN_OR_RETURN(p.vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(p.component, Str(c, "component"));
    WARREN_ASSIGN_OR_RETURN(p.name, Str(c, "name"));
    if (!c.contains("value")) return Status::BadInput("field 'value' is missing");
    p.value = c["value"];
    if (!vhosts_.count(p.vhost)) return Status::NotFound(NoSuchVhost(p.vhost), "vhost");
    parameters_[{p.vhost, p.component, p.name}] = std::move(p);
    return Status::OK();
  }
  if (op == "parameter.clear") {
    WARREN_ASSIGN_OR_RETURN(std::string vhost, Str(c, "vhost"));
    WARREN_ASSIGN_OR_RETURN(std::string component, Str(c, "component"));
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    if (parameters_.erase({vhost, component, name}) == 0)
      return Status::NotFound("Parameter does not exist", "parameter");
    return Status::OK();
  }
  if (op == "global_parameter.set") {
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    if (!c.contains("value")) return Status::BadInput("field 'value' is missing");
    global_parameters_[name] = c["value"];
    return Status::OK();
  }
  if (op == "global_parameter.clear") {
    WARREN_ASSIGN_OR_RETURN(std::string name, Str(c, "name"));
    if (global_parameters_.erase(name) == 0)
      return Status::NotFound("Parameter does not exist", "parameter");
    return Status::OK();
  }
  if (op == "node.forget" || op == "node.down") {
    // node.forget is not a command of its own in any log: the cluster applies it with
    // the removal of the member, as RabbitMQ's forget_cluster_node deletes the queues
    // that node held. node.down: the leader found the member silent (net_ticktime), and
    // its non-durable queues and exchanges go, as at RabbitMQ's nodedown.
    WARREN_ASSIGN_OR_RETURN(std::string node, Str(c, "node"));
    EraseNodeEntities(node, op == "node.down");
    return Status::OK();
  }
  return ApplyEntity(op, c);
}

json State::ToDefinitions() const {
  json d = json::object();
  d["rabbit_version"] = "3.10.8";
  d["rabbitmq_version"] = "3.10.8";
  d["product_name"] = "warren";
  d["product_version"] = "0.1.0";
  json users = json::array();
  for (const auto& [_, u] : users_) {
    users.push_back({{"name", u.name},
                     {"password_hash", u.password_hash},
                     {"hashing_algorithm", u.hashing_algorithm},
                     {"tags", TagsJson(u.tags)},
                     {"limits", u.limits}});
  }
  d["users"] = users;
  json vhosts = json::array();
  for (const auto& [_, v] : vhosts_) {
    json meta = {{"description", v.description}, {"tags", TagsJson(v.tags)}};
    if (!v.default_queue_type.empty()) meta["default_queue_type"] = v.default_queue_type;
    json vhost = {{"name", v.name}, {"limits", v.limits}, {"metadata", meta}};
    // RabbitMQ's definitions import reads "tracing"; written only when on.
    if (v.tracing) vhost["tracing"] = true;
    vhosts.push_back(std::move(vhost));
  }
  d["vhosts"] = vhosts;
  json perms = json::array();
  for (const auto& [k, p] : permissions_) {
    perms.push_back({{"user", k.first}, {"vhost", k.second}, {"configure", p.configure},
                     {"write", p.write}, {"read", p.read}});
  }
  d["permissions"] = perms;
  json tperms = json::array();
  for (const auto& [k, p] : topic_permissions_) {
    tperms.push_back({{"user", std::get<0>(k)}, {"vhost", std::get<1>(k)},
                      {"exchange", std::get<2>(k)}, {"write", p.write}, {"read", p.read}});
  }
  d["topic_permissions"] = tperms;
  json params = json::array();
  for (const auto& [_, p] : parameters_) {
    params.push_back({{"vhost", p.vhost}, {"component", p.component}, {"name", p.name},
                      {"value", p.value}});
  }
  d["parameters"] = params;
  json globals = json::array();
  for (const auto& [name, value] : global_parameters_)
    globals.push_back({{"name", name}, {"value", value}});
  d["global_parameters"] = globals;
  json policies = json::array();
  for (const auto& [_, p] : policies_) policies.push_back(PolicyJson(p));
  d["policies"] = policies;
  json oper = json::array();
  for (const auto& [_, p] : operator_policies_) oper.push_back(PolicyJson(p));
  d["operator_policies"] = oper;
  EntitiesToDefinitions(d);
  return d;
}

Result<std::vector<json>> State::CommandsFromDefinitions(const json& d) {
  if (!d.is_object()) return Status::BadInput("definitions must be a JSON object");
  std::vector<json> out;
  auto section = [&](const char* key) { return internal::Section(d, key); };
  auto entry_error = internal::EntryError;
  // Order matters: vhosts and users before what refers to them.
  WARREN_ASSIGN_OR_RETURN(json vhosts, section("vhosts"));
  for (size_t i = 0; i < vhosts.size(); ++i) {
    const json& v = vhosts[i];
    if (!v.is_object() || !v.contains("name") || !v["name"].is_string())
      return entry_error("vhosts", i, Status::BadInput("field 'name' must be a string"));
    json c = {{"op", "vhost.put"}, {"name", v["name"]}};
    const json meta = v.value("metadata", json::object());
    c["description"] = meta.is_object() ? meta.value("description", v.value("description", ""))
                                        : v.value("description", "");
    if (meta.is_object() && meta.contains("tags")) c["tags"] = meta["tags"];
    else if (v.contains("tags")) c["tags"] = v["tags"];
    if (meta.is_object() && meta.contains("default_queue_type"))
      c["default_queue_type"] = meta["default_queue_type"];
    if (v.contains("limits") && v["limits"].is_object()) c["limits"] = v["limits"];
    if (v.contains("tracing") && v["tracing"].is_boolean()) c["tracing"] = v["tracing"];
    out.push_back(std::move(c));
  }
  WARREN_ASSIGN_OR_RETURN(json users, section("users"));
  for (size_t i = 0; i < users.size(); ++i) {
    json c = users[i];
    if (!c.is_object()) return entry_error("users", i, Status::BadInput("must be an object"));
    c["op"] = "user.put";
    out.push_back(std::move(c));
  }
  struct Simple {
    const char* key;
    const char* op;
  };
  for (Simple s : {Simple{"permissions", "permission.set"},
                   Simple{"topic_permissions", "topic_permission.set"},
                   Simple{"policies", "policy.set"},
                   Simple{"operator_policies", "operator_policy.set"},
                   Simple{"parameters", "parameter.set"},
                   Simple{"global_parameters", "global_parameter.set"}}) {
    WARREN_ASSIGN_OR_RETURN(json items, section(s.key));
    for (size_t i = 0; i < items.size(); ++i) {
      json c = items[i];
      if (!c.is_object()) return entry_error(s.key, i, Status::BadInput("must be an object"));
      c["op"] = s.op;
      out.push_back(std::move(c));
    }
  }
  WARREN_TRY(EntityCommandsFromDefinitions(d, out));
  return out;
}

}  // namespace warren::meta
