#include "cli/commands/commands.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec Unbind() { return BindingCommand(true); }

}  // namespace warren::cli::commands
