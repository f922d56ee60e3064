// warren-docgen: the shell completions (bash, zsh, fish) and man pages of the CLI tools,
// generated from the command registry in lib/cli so they cannot drift from the code.
// Each emitter is a pure function of the registry; generate.cc writes or checks files.
#pragma once

#include <string>
#include <vector>

#include "cli/cli.h"

namespace warren::docgen {

// One generated file; `path` is relative to the completions or man output directory.
struct File {
  std::string path;
  std::string text;
};

// A CLI tool as its man page and completions describe it.
struct ToolDoc {
  cli::Scope scope;
  std::string name;       // "warrenctl"
  std::string rabbit;     // "rabbitmqctl": the RabbitMQ tool it stands in for
  std::string summary;    // one line, for NAME
  std::string function;   // shell function name: "_warrenctl"
};

const std::vector<ToolDoc>& Tools();
// The commands a tool exposes, sorted by name.
std::vector<const cli::CommandSpec*> CommandsOf(cli::Scope scope);
// Whether a command is scoped to a virtual host: it says so, or its usage shows --vhost.
bool ScopedToVhost(const cli::CommandSpec& spec);
// The options a command accepts: its own flags, then the global ones (-p/--vhost only
// for commands scoped to a virtual host).
std::vector<cli::Flag> OptionsOf(const cli::CommandSpec& spec);
// The values a flag takes when its value name lists them: "<json | erlang>" -> json, erlang.
std::vector<std::string> FlagChoices(const cli::Flag& flag);
// Whether a flag's value or a command's positional arguments are file paths.
bool TakesFile(const cli::Flag& flag);
bool ArgsAreFiles(const cli::CommandSpec& spec);
// The values a formatter takes.
const std::vector<std::string>& Formatters();

std::vector<File> BashCompletions();  // bash/<tool>
std::vector<File> ZshCompletions();   // zsh/_<tool>
std::vector<File> FishCompletions();  // fish/<tool>.fish
std::vector<File> ManPages();         // <tool>.8 and warren-server.8

}  // namespace warren::docgen
