// Every CLI command's spec factory; one per file in this folder, all listed in all.cc.
#pragma once

#include "cli/command.h"

namespace warren::cli::commands {

// Help.
CommandSpec Help();
CommandSpec Version();

// Nodes.
CommandSpec Stop();
CommandSpec StopApp();
CommandSpec StartApp();
CommandSpec Reset();
CommandSpec ForceReset();
CommandSpec AwaitStartup();

// Users.
CommandSpec AddUser();
CommandSpec ListUsers();

// Permissions.

// Vhosts.

// Policies.

// Parameters.

// Diagnostics.

// Definitions.

// Provisioning.

}  // namespace warren::cli::commands
