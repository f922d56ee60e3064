// Printing for CLI commands: banners, list rows in every formatter, errors with
// rabbitmqctl's wording and exit codes (the one ErrorKind -> exit code map lives in
// exit_codes.h), usage lines. Used by the runner and by command files.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace warren::cli {

inline constexpr const char* kBoldOn = "\x1b[1m";
inline constexpr const char* kBoldOff = "\x1b[0m";

// "rabbitmqctl [--node <node>] [--longnames] [--quiet] add_user <username> <password>"
std::string UsageLine(const Tool& tool, const CommandSpec& spec);
// The value of one cell in table/csv output: strings as they are, lists as "[a, b]".
std::string CellText(const json& value);

// Prints `rows` (a JSON array of objects) in the invocation's formatter, with the
// invocation's columns (or the spec's defaults). Returns 0, or 64 for an unknown formatter.
int PrintRows(Invocation& inv, const json& rows);
// Prints the "Listing ..." line unless -q / -s.
void PrintBanner(const Invocation& inv, const std::string& text);

// Prints a failed run as rabbitmqctl does and returns the exit code.
int PrintError(Invocation& inv, const Status& status);
// "Error (argument validation): <msg>\nArguments given: ...\n\nUsage ..." on stderr.
int PrintValidationError(const Tool& tool, const CommandSpec* spec,
                         const std::vector<std::string>& argv, const std::string& message,
                         int exit_code);

}  // namespace warren::cli
