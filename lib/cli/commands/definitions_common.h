// What export_definitions and import_definitions share: the --format check and the
// wording of file errors, as rabbitmqctl words them (shared/reference/.../definitions.txt).
// Internal to lib/cli.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "cli/command.h"

namespace warren::cli {

// rabbitmqctl writes and reads definitions as JSON or as compressed Erlang terms;
// warren has no Erlang term codec, so it refuses that format up front.
inline Status ValidateDefinitionsFormat(const Invocation& inv) {
  const std::string format = inv.flag("format", "json");
  if (format == "json") return Status::OK();
  if (format == "erlang")
    return Status::BadInput(
        "Bad argument: --format erlang (compressed Erlang term format) is not supported by "
        "warren; use --format json");
  return Status::BadInput("Bad argument: Format should be json, not '" + format + "'");
}

// A failed open of `path` for reading or writing, worded for the operator.
inline Status DefinitionsFileError(const std::string& path, int err, bool writing) {
  if (err == ENOENT) return Status::BadInput("Parent directory or file " + path + " does not exist");
  if (err == EACCES)
    return Status::BadInput(std::string("No permissions to ") + (writing ? "write to" : "read from") +
                            " file " + path + " or its parent directory");
  if (err == EISDIR) return Status::BadInput(path + " is a directory");
  return Status::BadInput(std::string("Cannot ") + (writing ? "write" : "read") + " file " + path +
                          ": " + std::strerror(err));
}

}  // namespace warren::cli
