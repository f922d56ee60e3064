// Help texts generated from the registry: the general usage with its command list, and
// one command's help page, both as rabbitmqctl prints them.
#pragma once

#include <string>

#include "cli/command.h"

namespace warren::cli {

// "\nUsage\n\n<tool> [--node <node>] ... <command> [<command options>]\n\nAvailable commands:..."
std::string GeneralUsage(const Tool& tool);
// Only the sections and commands, as `help --list-commands` prints them.
std::string CommandList(const Tool& tool);
// The help page of one command.
std::string CommandHelp(const Tool& tool, const CommandSpec& spec);

}  // namespace warren::cli
