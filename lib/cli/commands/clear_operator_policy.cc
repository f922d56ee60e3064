#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec ClearOperatorPolicy() { return ClearPolicyCommand(kOperatorPolicy); }

}  // namespace warren::cli::commands
