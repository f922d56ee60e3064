#include "cli/help.h"

#include <algorithm>

#include "cli/cli.h"
#include "cli/output.h"

namespace warren::cli {
namespace {

std::string Bold(const std::string& s) { return std::string(kBoldOn) + s + kBoldOff; }

constexpr const char* kGeneralOptions = R"(The following options are accepted by most or all commands.

short            | long          | description
-----------------|---------------|--------------------------------
-?               | --help        | displays command help
-n <node>        | --node <node> | connect to node <node>
-l               | --longnames   | use long host names
-t               | --timeout <n> | for commands that support it, operation timeout in seconds
-q               | --quiet       | suppress informational messages
-s               | --silent      | suppress informational messages
                                 | and table header row
-p               | --vhost       | for commands that are scoped to a virtual host,
                 |               | virtual host to use
                 | --formatter   | alternative result formatter to use
                                 | if supported: json, pretty_table, table, csv
                                   not all commands support all (or any) alternative formatters.
)";

}  // namespace

std::string CommandList(const Tool& tool) {
  std::vector<const CommandSpec*> mine;
  size_t width = 0;
  for (const auto& c : Commands()) {
    if (c.scopes & tool.scope) {
      mine.push_back(&c);
      width = std::max(width, c.name.size());
    }
  }
  width = std::max<size_t>(width + 2, 30);
  std::string out;
  for (const auto& section : Sections()) {
    std::vector<const CommandSpec*> in;
    for (const auto* c : mine)
      if (c->section == section) in.push_back(c);
    if (in.empty()) continue;
    std::sort(in.begin(), in.end(), [](auto* a, auto* b) { return a->name < b->name; });
    out += "\n" + Bold(section) + ":\n\n";
    for (const auto* c : in) {
      out += "   " + c->name + std::string(width - c->name.size(), ' ') + c->description + "\n";
    }
  }
  return out;
}

std::string GeneralUsage(const Tool& tool) {
  return "\n" + Bold("Usage") + "\n\n" + tool.name +
         " [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> "
         "[<command options>]\n\nAvailable commands:\n" +
         CommandList(tool) + "\nUse '" + tool.name +
         " help <command>' to learn more about a specific command\n";
}

std::string CommandHelp(const Tool& tool, const CommandSpec& spec) {
  std::string out = "\n" + Bold("Usage") + "\n\n" + UsageLine(tool, spec) + "\n\n" +
                    spec.description + ".\n\n";
  if (!spec.arg_docs.empty() || !spec.flags.empty()) {
    out += "\n" + Bold("Arguments and Options") + "\n\n";
    for (const auto& a : spec.arg_docs) out += a.name + "\n\t" + a.help + "\n\n";
    for (const auto& f : spec.flags) {
      if (f.help.empty()) continue;
      out += "--" + f.name + (f.takes_value ? " " + f.value_name : "") + "\n\t" + f.help + "\n\n";
    }
  }
  if (!spec.doc_guides.empty()) {
    out += "\n" + Bold("Relevant Doc Guides") + "\n\n";
    for (const auto& g : spec.doc_guides) out += " * " + g + "\n\n";
  }
  out += "\n" + Bold("General Options") + "\n\n" + kGeneralOptions;
  return out;
}

}  // namespace warren::cli
