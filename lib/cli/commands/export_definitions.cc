#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/definitions_common.h"

namespace warren::cli::commands {

CommandSpec ExportDefinitions() {
  CommandSpec c;
  c.name = "export_definitions";
  c.section = "Definitions";
  c.description = "Exports definitions in JSON or compressed Erlang Term Format.";
  c.usage = "<file_path | \"-\"> [--format <json | erlang>] [--timeout <timeout>]";
  c.arg_docs = {{"<file_path>", "Local file path to export to. Pass a dash (-) for stdout."}};
  c.flags = {{"format", 0, true, "<json | erlang>",
              "output format to use: json (the default); warren does not write erlang", "json"}};
  c.doc_guides = {"https://rabbitmq.com/definitions.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.errors = {{"bad_input", {65, false}}};
  // rabbitmqctl checks the target directory while validating (a file-system look, not
  // a node call), so a missing one is an argument error before anything is exported.
  c.validate = [](const Invocation& inv) -> Status {
    WARREN_TRY(ValidateDefinitionsFormat(inv));
    const std::string& path = inv.args[0];
    if (path == "-") return Status::OK();
    const std::string dir = std::filesystem::path(path).parent_path().string();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
      return Status::BadInput("Bad argument: Directory " + dir + " does not exist");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) -> std::string {
    if (inv.args[0] == "-") return "";  // stdout carries the definitions alone
    return "Exporting definitions in JSON to a file at \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json defs, Call(inv, "GET", "/api/definitions"));
    // As rabbitmqctl: compact, keys sorted, no trailing newline.
    const std::string text = defs.dump();
    const std::string& path = inv.args[0];
    if (path == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
      return json(nullptr);
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return DefinitionsFileError(path, errno, true);
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    int err = errno;
    if (std::fclose(f) != 0 && written) err = errno;
    else if (written) return json(nullptr);
    return DefinitionsFileError(path, err, true);
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
