#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli.h"

namespace warren::cli {

TEST_CASE("registry: every command has a name, a description, a section and a tool", "[cli]") {
  std::set<std::string> seen;
  for (const auto& c : Commands()) {
    INFO(c.name);
    CHECK(!c.name.empty());
    CHECK(!c.description.empty());
    CHECK(c.scopes != 0);
    CHECK(std::find(Sections().begin(), Sections().end(), c.section) != Sections().end());
    CHECK(bool(c.run));
    CHECK(seen.insert(c.name + "/" + std::to_string(c.scopes)).second);
    if (c.column_args) CHECK(!c.columns.empty());
    for (const auto& col : c.default_columns)
      CHECK(std::find(c.columns.begin(), c.columns.end(), col) != c.columns.end());
  }
}

TEST_CASE("registry: every command file is listed in all.cc and built", "[cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(WARREN_SOURCE_DIR) / "lib/cli/commands";
  std::ifstream all(dir / "all.cc"), cmake(fs::path(WARREN_SOURCE_DIR) / "lib/cli/CMakeLists.txt");
  std::stringstream all_text, cmake_text;
  all_text << all.rdbuf();
  cmake_text << cmake.rdbuf();
  std::set<std::string> names;
  for (const auto& c : Commands()) names.insert(c.name);
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".cc" || file == "all.cc") continue;
    INFO(file);
    CHECK(cmake_text.str().find("commands/" + file) != std::string::npos);
    const std::string stem = entry.path().stem().string();
    // A command file is named after its command (warren-plugins' commands with a
    // plugins_ prefix: plugins_list.cc); helpers are not commands, and *_common.cc
    // files build commands for the files named after them.
    std::ifstream f(entry.path());
    std::stringstream text;
    text << f.rdbuf();
    const bool builder = stem.ends_with("_common");
    const std::string name = stem.starts_with("plugins_") && !FindCommand(stem, kPlugins)
                                 ? stem.substr(std::string("plugins_").size())
                                 : stem;
    if (!builder && text.str().find("CommandSpec c;") != std::string::npos)
      CHECK(names.count(name) == 1);
  }
}

}  // namespace warren::cli
