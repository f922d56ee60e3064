#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec SetPolicy() { return SetPolicyCommand(kUserPolicy); }

}  // namespace warren::cli::commands
