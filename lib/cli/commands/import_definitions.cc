#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/definitions_common.h"

namespace warren::cli::commands {
namespace {

bool FromStdin(const Invocation& inv) { return inv.args.empty() || inv.args[0] == "-"; }

Result<std::string> ReadAll(std::FILE* f) {
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  if (std::ferror(f)) return Status::BadInput(std::string("Cannot read input: ") + std::strerror(errno));
  return text;
}

// rabbitmqctl's decoder errors are Elixir terms: :unexpected_end_of_buffer for input
// that stops too early, {:unexpected_token, "<rest of the input>"} otherwise. The rest
// is cut short here so a large file does not flood the terminal.
std::string DecodeError(const std::string& text, const nlohmann::json::parse_error& e) {
  if (std::string(e.what()).find("unexpected end of input") != std::string::npos)
    return ":unexpected_end_of_buffer";
  size_t at = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
  std::string rest = text.substr(at, 60);
  if (text.size() - at > 60) rest += "...";
  return "{:unexpected_token, " + json(rest).dump() + "}";
}

}  // namespace

CommandSpec ImportDefinitions() {
  CommandSpec c;
  c.name = "import_definitions";
  c.section = "Definitions";
  c.description = "Imports definitions in JSON or compressed Erlang Term Format.";
  c.usage = "<file_path | \"-\"> [--format <json | erlang>] [--skip-if-unchanged] "
            "[--timeout <timeout>]";
  c.arg_docs = {{"<file_path>", "Local file path to import from. Pass a dash (-) or nothing to read "
                           "from stdin."}};
  c.flags = {{"format", 0, true, "<json | erlang>",
              "input format to use: json (the default); warren does not read erlang", "json"},
             {"skip-if-unchanged", 0, false, "",
              "do nothing if the definitions are already in place (warren never rewrites "
              "definitions that are unchanged)"}};
  c.doc_guides = {"https://rabbitmq.com/definitions.html"};
  c.min_args = 0;
  c.max_args = 1;
  c.errors = {{"bad_input", {65, false}}};
  // As rabbitmqctl, a missing file is an argument error found before any node call.
  c.validate = [](const Invocation& inv) -> Status {
    WARREN_TRY(ValidateDefinitionsFormat(inv));
    if (FromStdin(inv)) return Status::OK();
    std::error_code ec;
    if (!std::filesystem::exists(inv.args[0], ec))
      return Status::BadInput("Bad argument: File " + inv.args[0] + " does not exist");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) -> std::string {
    if (FromStdin(inv)) return "Importing definitions in JSON from standard input ...";
    return "Importing definitions in JSON from a file at \"" + inv.args[0] + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    std::string text;
    if (FromStdin(inv)) {
      WARREN_ASSIGN_OR_RETURN(text, ReadAll(stdin));
    } else {
      const std::string& path = inv.args[0];
      std::FILE* f = std::fopen(path.c_str(), "rb");
      if (f == nullptr) return DefinitionsFileError(path, errno, false);
      Result<std::string> read = ReadAll(f);
      std::fclose(f);
      if (!read.ok()) return read.status();
      text = std::move(read).value();
      if (text.empty()) return Status::BadInput("File " + path + " is zero-sized");
    }
    json defs;
    try {
      defs = json::parse(text);
    } catch (const json::parse_error& e) {
      return Status::BadInput("Failed to deserialise input (format: JSON) (error: " +
                              DecodeError(text, e) + ")");
    }
    std::map<std::string, std::string> query;
    if (inv.has("skip-if-unchanged")) query["skip_if_unchanged"] = "true";
    return Call(inv, "POST", "/api/definitions", defs, query);
  };
  c.output = [](Invocation& inv, const json&) {
    // rabbitmqctl's words; in warren the import is complete when this prints.
    if (!inv.quiet && !inv.silent)
      std::puts("Successfully started definition import. This process is asynchronous and can "
                "take some time.");
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
