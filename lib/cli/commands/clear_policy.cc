#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec ClearPolicy() { return ClearPolicyCommand(kUserPolicy); }

}  // namespace warren::cli::commands
