// What a provisioning file declares, parsed and checked field by field (parse.cc), before
// it is compared with the metadata state (plan.cc). A section the file leaves out is
// nullopt: provisioning neither changes nor prunes that kind. A field an entry leaves
// out is nullopt too: provisioning leaves it as it is. Internal to lib/provision.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::provision::internal {

using json = nlohmann::json;

// Where an entry is, for error messages: "provision.yaml:12: users[1] (alice)".
struct Where {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string section;
  size_t index = 0;
  std::string label;  // the entry's name as the plan prints it; empty until known
  std::string Text() const;
  // BadInput "<Text()>: <what>".
  Status Error(const std::string& what) const;
};

struct User {
  Where at;
  std::string name;
  std::optional<std::string> password;  // in clear
  std::optional<std::string> password_hash;
  std::optional<std::string> hashing_algorithm;  // only with password_hash
  std::optional<std::vector<std::string>> tags;
  std::optional<json> limits;
};

struct Vhost {
  Where at;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> default_queue_type;
  std::optional<json> limits;
};

struct Permission {
  Where at;
  std::string user, vhost, configure, write, read;
};

struct TopicPermission {
  Where at;
  std::string user, vhost, exchange, write, read;
};

struct Policy {
  Where at;
  std::string vhost, name, pattern, apply_to;
  int priority = 0;
  json definition;
};

struct Parameter {
  Where at;
  std::string vhost, component, name;
  json value;
};

struct GlobalParameter {
  Where at;
  std::string name;
  json value;
};

struct Desired {
  std::optional<std::vector<User>> users;
  std::optional<std::vector<Vhost>> vhosts;
  std::optional<std::vector<Permission>> permissions;
  std::optional<std::vector<TopicPermission>> topic_permissions;
  std::optional<std::vector<Policy>> policies;
  std::optional<std::vector<Policy>> operator_policies;
  std::optional<std::vector<Parameter>> parameters;
  std::optional<std::vector<GlobalParameter>> global_parameters;
};

// Parses and checks a provisioning file. BadInput naming the file, the line and the
// entry for bad YAML, an unknown section or field, a missing or mistyped field, or two
// entries for the same object.
Result<Desired> ParseDesired(std::string_view yaml_text, const std::string& file_name);

}  // namespace warren::provision::internal
