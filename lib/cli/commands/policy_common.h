// The policy commands and the operator policy commands differ only in their words and
// the admin path they call, so one builder makes both of each pair. Internal to lib/cli.
#pragma once

#include "cli/command.h"

namespace warren::cli::commands {

struct PolicyKind {
  const char* name_part;   // "policy" / "operator_policy", as in set_<name_part>
  const char* list_part;   // "policies" / "operator_policies"
  const char* api;         // "/api/policies/" / "/api/operator-policies/"
  const char* set_word;    // banner of set: "Setting <set_word> \"name\" ..."
  const char* clear_word;  // banner of clear
  const char* list_word;   // banner of list: "Listing <list_word> for vhost ..."
  const char* set_description;
  const char* clear_description;
  const char* list_description;
  const char* pattern_doc;
  const char* clear_name_doc;
};

extern const PolicyKind kUserPolicy;
extern const PolicyKind kOperatorPolicy;

CommandSpec SetPolicyCommand(const PolicyKind& kind);
CommandSpec ClearPolicyCommand(const PolicyKind& kind);
CommandSpec ListPoliciesCommand(const PolicyKind& kind);

}  // namespace warren::cli::commands
