// Entry point of the CLI tools: parses argv against the command registry, runs the
// command and prints as rabbitmqctl / rabbitmq-plugins / rabbitmq-diagnostics do.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace warren::cli {

// Runs one CLI call. `default_scope` is the binary's own tool; a program invoked through
// a link named rabbitmqctl, rabbitmq-plugins or rabbitmq-diagnostics becomes that tool.
// Returns the process exit code.
int RunTool(int argc, char** argv, Scope default_scope);

// Every registered command (lib/cli/commands/all.cc).
const std::vector<CommandSpec>& Commands();
// The command `name` of `scope`, or nullptr.
const CommandSpec* FindCommand(const std::string& name, Scope scope);
// Help sections in the order rabbitmqctl prints them.
const std::vector<std::string>& Sections();
// The global flags every tool accepts.
const std::vector<Flag>& GlobalFlags();
// "warrenctl" -> the name of the warren tool for a scope.
std::string WarrenToolName(Scope scope);

}  // namespace warren::cli
