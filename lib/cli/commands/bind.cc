#include "cli/commands/commands.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec Bind() { return BindingCommand(false); }

}  // namespace warren::cli::commands
