#include "cli/commands/commands.h"
#include "cli/commands/policy_common.h"

namespace warren::cli::commands {

CommandSpec SetOperatorPolicy() { return SetPolicyCommand(kOperatorPolicy); }

}  // namespace warren::cli::commands
