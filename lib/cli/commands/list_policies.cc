#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec ListPolicies() { return ListPoliciesCommand(kUserPolicy); }

}  // namespace warren::cli::commands
