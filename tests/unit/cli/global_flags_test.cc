#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/exit_codes.h"

namespace warren::cli {
namespace {

// Runs `warrenctl <args...> version`, a command that contacts no node.
int RunVersionWith(std::vector<std::string> args) {
  std::vector<std::string> argv = {"warrenctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("version");
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  return RunTool(int(raw.size()), raw.data(), kCtl);
}

std::string SampleValue(const Flag& f) {
  if (!f.default_value.empty()) return f.default_value;
  if (f.name == "timeout") return "5";
  return "t@localhost";
}

}  // namespace

TEST_CASE("global_flags: every global flag is accepted by the parser in each spelling", "[cli]") {
  for (const auto& f : GlobalFlags()) {
    std::vector<std::string> spellings = {"--" + f.name};
    if (f.short_name) spellings.push_back(std::string("-") + f.short_name);
    for (const auto& s : spellings) {
      INFO(s);
      std::vector<std::string> args = {s};
      if (f.takes_value) args.push_back(SampleValue(f));
      CHECK(RunVersionWith(args) == kExitOk);
    }
  }
}

TEST_CASE("global_flags: names are unique and documented", "[cli]") {
  std::set<std::string> names;
  std::set<char> shorts;
  for (const auto& f : GlobalFlags()) {
    INFO(f.name);
    CHECK(names.insert(f.name).second);
    if (f.short_name) CHECK(shorts.insert(f.short_name).second);
    CHECK(!f.help.empty());
    CHECK(f.takes_value == !f.value_name.empty());
  }
  CHECK(names.count("node"));
  CHECK(names.count("timeout"));
}

TEST_CASE("global_flags: an option that is not global is still refused", "[cli]") {
  CHECK(RunVersionWith({"--no-such-option"}) == kExitUsage);
}

}  // namespace warren::cli
