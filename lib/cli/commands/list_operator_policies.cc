#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec ListOperatorPolicies() { return ListPoliciesCommand(kOperatorPolicy); }

}  // namespace warren::cli::commands
