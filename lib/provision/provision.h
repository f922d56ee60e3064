// Declarative provisioning (docs/provisioning.md): a YAML file declares users, vhosts,
// permissions, topic permissions, policies, operator policies and parameters; Plan
// compares it with a metadata State and lists the changes, as metadata commands, that
// make the state match the file. Pure functions of their inputs; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "meta/state.h"

namespace warren::provision {

struct Change {
  char action = '+';      // '+' create, '~' update, '-' delete
  std::string kind;       // "user", "vhost", "permissions", "policy", ...
  std::string name;       // "alice", "alice@/", "ha-all@/", "federation-upstream/up@/"
  nlohmann::json command; // the metadata command that makes the change
};

struct PlanOptions {
  std::string file_name = "<stdin>";  // how errors name the file
  // Delete, for each kind the file has a section for, what that section does not list.
  bool prune = false;
};

// The changes that turn `current` into what `yaml_text` declares, in the order they
// must be applied (creates and updates by dependency, then deletes); empty when the
// state already matches. A password given in clear that still matches the stored hash
// is no change. BadInput "<file>:<line>: <section>[<i>] (<name>): <what>" for bad YAML
// or a bad entry, including one the state would refuse (a permission for a user that
// neither exists nor is declared).
Result<std::vector<Change>> Plan(const meta::State& current, std::string_view yaml_text,
                                 const PlanOptions& options);

}  // namespace warren::provision
