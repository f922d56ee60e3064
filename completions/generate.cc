// warren-docgen: writes the shell completions and man pages of the CLI tools from the
// command registry, or (--check) tells which committed copies no longer match it.
//
//   warren-docgen [--completions DIR] [--man DIR] [--check] [--fix-hint TEXT]
//
// The build runs it into the build tree (installed from there); the update-docs target
// runs it into completions/ and man/ of the source tree; ctest docs:drift runs --check.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "docgen.h"

namespace warren::docgen {

const std::vector<ToolDoc>& Tools() {
  static const std::vector<ToolDoc> kTools = {
      {cli::kCtl, "warrenctl", "rabbitmqctl", "manage warren nodes (rabbitmqctl compatible)",
       "_warrenctl"},
      {cli::kPlugins, "warren-plugins", "rabbitmq-plugins",
       "manage warren plugins (rabbitmq-plugins compatible)", "_warren_plugins"},
      {cli::kDiagnostics, "warren-diagnostics", "rabbitmq-diagnostics",
       "diagnose and health-check warren nodes (rabbitmq-diagnostics compatible)",
       "_warren_diagnostics"},
  };
  return kTools;
}

std::vector<const cli::CommandSpec*> CommandsOf(cli::Scope scope) {
  std::vector<const cli::CommandSpec*> out;
  for (const auto& c : cli::Commands())
    if (c.scopes & scope) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

bool ScopedToVhost(const cli::CommandSpec& spec) {
  return spec.uses_vhost || spec.usage.find("--vhost") != std::string::npos ||
         spec.usage.find("-p ") != std::string::npos;
}

std::vector<cli::Flag> OptionsOf(const cli::CommandSpec& spec) {
  std::vector<cli::Flag> out = spec.flags;
  for (const auto& g : cli::GlobalFlags()) {
    if (g.name == "vhost" && !ScopedToVhost(spec)) continue;
    bool shadowed = false;
    for (const auto& f : spec.flags) shadowed = shadowed || f.name == g.name;
    if (!shadowed) out.push_back(g);
  }
  return out;
}

std::vector<std::string> FlagChoices(const cli::Flag& flag) {
  if (flag.name == "formatter") return Formatters();
  std::string v = flag.value_name;
  if (v.size() < 2 || v.front() != '<' || v.back() != '>' || v.find('|') == std::string::npos)
    return {};
  v = v.substr(1, v.size() - 2);
  std::vector<std::string> out;
  std::stringstream in(v);
  std::string part;
  while (std::getline(in, part, '|')) {
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty() && part.find(' ') == std::string::npos) out.push_back(part);
  }
  return out;
}

bool TakesFile(const cli::Flag& flag) {
  return flag.takes_value && flag.value_name.find("file") != std::string::npos;
}

bool ArgsAreFiles(const cli::CommandSpec& spec) {
  for (const auto& a : spec.arg_docs)
    if (a.name.find("file") != std::string::npos) return true;
  return false;
}

const std::vector<std::string>& Formatters() {
  static const std::vector<std::string> kFormatters = {"table", "json", "csv", "pretty_table"};
  return kFormatters;
}

}  // namespace warren::docgen

namespace {

namespace fs = std::filesystem;
using warren::docgen::File;

bool ReadFile(const fs::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *text = s.str();
  return true;
}

// Writes `files` under `dir`; with `check`, only reports those that differ. Returns the
// number of files that differ (check) or failed to write.
int Emit(const fs::path& dir, const std::vector<File>& files, bool check) {
  int problems = 0;
  for (const auto& f : files) {
    const fs::path path = dir / f.path;
    std::string current;
    const bool exists = ReadFile(path, &current);
    if (check) {
      if (!exists || current != f.text) {
        std::fprintf(stderr, "%s: %s\n", path.string().c_str(),
                     exists ? "differs from what the command registry generates now"
                            : "missing; the command registry generates it");
        ++problems;
      }
      continue;
    }
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << f.text;
    out.close();
    if (!out) {
      std::fprintf(stderr, "warren-docgen: cannot write %s\n", path.string().c_str());
      ++problems;
    }
  }
  return problems;
}

int Usage() {
  std::fputs("usage: warren-docgen [--completions DIR] [--man DIR] [--check] [--fix-hint TEXT]\n",
             stderr);
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  std::string completions_dir, man_dir, fix_hint;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check") {
      check = true;
    } else if ((a == "--completions" || a == "--man" || a == "--fix-hint") && i + 1 < argc) {
      (a == "--completions" ? completions_dir : a == "--man" ? man_dir : fix_hint) = argv[++i];
    } else {
      return Usage();
    }
  }
  if (completions_dir.empty() && man_dir.empty()) return Usage();
  int problems = 0;
  if (!completions_dir.empty()) {
    std::vector<File> files = warren::docgen::BashCompletions();
    for (auto& f : warren::docgen::ZshCompletions()) files.push_back(std::move(f));
    for (auto& f : warren::docgen::FishCompletions()) files.push_back(std::move(f));
    problems += Emit(completions_dir, files, check);
  }
  if (!man_dir.empty()) problems += Emit(man_dir, warren::docgen::ManPages(), check);
  if (check && problems > 0) {
    std::fprintf(stderr,
                 "\nThe committed completions/man pages are out of date with the command "
                 "registry. Refresh them with:\n\n    %s\n\nand commit the result.\n",
                 fix_hint.empty() ? "cmake --build <build dir> --target update-docs"
                                  : fix_hint.c_str());
    return 1;
  }
  if (check) std::puts("completions and man pages match the command registry");
  return problems > 0 ? 1 : 0;
}
