#include "plugin/catalog.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plugin/api.h"
#include "store/record_log.h"

namespace warren::plugin {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::string_view kManifestSuffix = ".plugin.json";

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The manifest's fields, or why it is unusable.
Result<Manifest> ParseManifest(const std::string& dir, const std::string& file,
                               const std::string& text) {
  const std::string where = "plugin manifest " + dir + "/" + file;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::BadInput(where + " is not a JSON object");
  Manifest m;
  auto str = [&](const char* key, std::string& out) -> Status {
    if (!j.contains(key) || !j[key].is_string())
      return Status::BadInput(where + ": \"" + key + "\" must be a string");
    out = j[key].get<std::string>();
    return Status::OK();
  };
  WARREN_TRY(str("name", m.name));
  WARREN_TRY(str("version", m.version));
  WARREN_TRY(str("description", m.description));
  std::string library;
  WARREN_TRY(str("library", library));
  if (!j.contains("abi") || !j["abi"].is_number_unsigned())
    return Status::BadInput(where + ": \"abi\" must be a non-negative integer");
  m.abi = j["abi"].get<uint32_t>();
  if (j.contains("dependencies")) {
    if (!j["dependencies"].is_array()) return Status::BadInput(where + ": \"dependencies\" must be a list");
    for (const auto& d : j["dependencies"]) {
      if (!d.is_string()) return Status::BadInput(where + ": \"dependencies\" must list plugin names");
      m.dependencies.push_back(d.get<std::string>());
    }
  }
  if (file != m.name + std::string(kManifestSuffix))
    return Status::BadInput(where + " names plugin " + m.name + "; the file must be called " +
                            m.name + std::string(kManifestSuffix));
  m.library = library.starts_with("/") ? library : dir + "/" + library;
  return m;
}

}  // namespace

Catalog CatalogFromManifests(const std::string& dir,
                             const std::map<std::string, std::string>& manifests) {
  Catalog c;
  for (const auto& [file, text] : manifests) {
    auto m = ParseManifest(dir, file, text);
    if (!m.ok()) {
      c.problems.push_back(m.status().message());
      continue;
    }
    c.plugins.emplace(m->name, std::move(m).value());
  }
  // Leave out what cannot be loaded: another ABI, a missing dependency (repeatedly, as
  // leaving one out may strand another), a dependency cycle.
  for (auto it = c.plugins.begin(); it != c.plugins.end();) {
    if (it->second.abi != kAbiVersion) {
      c.problems.push_back("plugin " + it->first + " in " + dir + " was built for plugin ABI " +
                           std::to_string(it->second.abi) + ", this node speaks " +
                           std::to_string(kAbiVersion) + "; rebuild it against this warren");
      it = c.plugins.erase(it);
    } else {
      ++it;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = c.plugins.begin(); it != c.plugins.end(); ++it) {
      for (const auto& d : it->second.dependencies) {
        if (c.plugins.count(d)) continue;
        c.problems.push_back("plugin " + it->first + " depends on " + d + ", which is not in " +
                             dir);
        c.plugins.erase(it);
        changed = true;
        break;
      }
      if (changed) break;
    }
  }
  // Cycles: depth-first search, marking the path.
  std::map<std::string, int> state;  // 0 unvisited, 1 on the path, 2 done
  std::set<std::string> cyclic;
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& n) {
    state[n] = 1;
    path.push_back(n);
    for (const auto& d : c.plugins.at(n).dependencies) {
      if (state[d] == 1) {
        auto from = std::find(path.begin(), path.end(), d);
        std::string chain;
        for (auto p = from; p != path.end(); ++p) {
          chain += *p + " -> ";
          cyclic.insert(*p);
        }
        c.problems.push_back("plugins in " + dir + " depend on each other in a cycle: " + chain + d);
      } else if (state[d] == 0) {
        visit(d);
      }
    }
    path.pop_back();
    state[n] = 2;
  };
  for (const auto& [name, m] : c.plugins)
    if (state[name] == 0) visit(name);
  // What depends on a cyclic plugin cannot start either.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [name, m] : c.plugins) {
      if (cyclic.count(name)) continue;
      for (const auto& d : m.dependencies)
        if (cyclic.count(d)) {
          cyclic.insert(name);
          changed = true;
        }
    }
  }
  for (const auto& n : cyclic) c.plugins.erase(n);
  return c;
}

Catalog ScanPlugins(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    Catalog c;
    c.problems.push_back("the plugins directory " + dir +
                         " does not exist; set WARREN_PLUGINS_DIR to where the plugins are installed");
    return c;
  }
  std::map<std::string, std::string> manifests;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string file = e.path().filename().string();
    if (file.size() > kManifestSuffix.size() && file.ends_with(kManifestSuffix))
      manifests[file] = ReadAll(e.path());
  }
  Catalog c = CatalogFromManifests(dir, manifests);
  for (auto it = c.plugins.begin(); it != c.plugins.end();) {
    if (!fs::exists(it->second.library, ec)) {
      c.problems.push_back("plugin " + it->first + ": its shared object " + it->second.library +
                           " is missing");
      it = c.plugins.erase(it);
    } else {
      ++it;
    }
  }
  return c;
}

Result<std::vector<std::string>> ParseEnabledPlugins(const std::string& text,
                                                     const std::string& path) {
  size_t i = 0;
  int line = 1;
  auto fail = [&](const std::string& what) {
    return Status::BadInput("enabled plugins file " + (path.empty() ? "" : path + " ") + "line " +
                                std::to_string(line) + ": " + what,
                            "enabled_plugins");
  };
  auto skip = [&] {
    while (i < text.size()) {
      char c = text[i];
      if (c == '\n') {
        ++line;
        ++i;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '%') {  // Erlang comment to the end of the line
        while (i < text.size() && text[i] != '\n') ++i;
      } else {
        break;
      }
    }
  };
  std::vector<std::string> names;
  skip();
  if (i == text.size()) return names;  // an empty file: nothing enabled
  if (text[i] != '[') return fail("expected '[' to open the list of plugins");
  ++i;
  skip();
  if (i < text.size() && text[i] == ']') {
    ++i;
  } else {
    while (true) {
      skip();
      std::string atom;
      if (i < text.size() && text[i] == '\'') {  // a quoted atom
        ++i;
        while (i < text.size() && text[i] != '\'' && text[i] != '\n') atom += text[i++];
        if (i == text.size() || text[i] != '\'') return fail("unterminated quoted plugin name");
        ++i;
      } else {
        while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                                   text[i] == '_' || text[i] == '@'))
          atom += text[i++];
        if (atom.empty() || !std::islower(static_cast<unsigned char>(atom[0])))
          return fail("expected a plugin name (an Erlang atom such as rabbitmq_management)");
      }
      names.push_back(atom);
      skip();
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == ']') {
        ++i;
        break;
      }
      return fail("expected ',' or ']' after " + atom);
    }
  }
  skip();
  if (i == text.size() || text[i] != '.') return fail("expected '.' after the list");
  ++i;
  skip();
  if (i != text.size()) return fail("unexpected text after the list's closing '.'");
  return names;
}

std::string FormatEnabledPlugins(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t k = 0; k < names.size(); ++k) out += (k ? "," : "") + names[k];
  return out + "].\n";
}

Result<std::vector<std::string>> ReadEnabledPlugins(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::vector<std::string>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read the enabled plugins file " + path);
  return ParseEnabledPlugins(ReadAll(path), path);
}

Status WriteEnabledPlugins(const std::string& path, const std::vector<std::string>& names) {
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  Status s = store::WriteFileAtomically(path, FormatEnabledPlugins(names));
  if (!s.ok())
    return Status::Unavailable("could not update the enabled plugins file " + path + ": " +
                               s.message());
  return s;
}

std::set<std::string> WithDependencies(const Catalog& catalog,
                                       const std::vector<std::string>& explicit_names) {
  std::set<std::string> out;
  std::vector<std::string> todo(explicit_names.begin(), explicit_names.end());
  while (!todo.empty()) {
    std::string n = todo.back();
    todo.pop_back();
    auto it = catalog.plugins.find(n);
    if (it == catalog.plugins.end() || !out.insert(n).second) continue;
    for (const auto& d : it->second.dependencies) todo.push_back(d);
  }
  return out;
}

std::vector<std::string> StartOrder(const Catalog& catalog, const std::set<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> placed;
  std::function<void(const std::string&)> place = [&](const std::string& n) {
    if (!names.count(n) || placed.count(n)) return;
    placed.insert(n);  // the catalog has no cycles
    for (const auto& d : catalog.plugins.at(n).dependencies) place(d);
    out.push_back(n);
  };
  for (const auto& n : names)
    if (catalog.plugins.count(n)) place(n);
  return out;
}

std::vector<std::string> WithoutDependents(const Catalog& catalog,
                                           const std::vector<std::string>& explicit_names,
                                           const std::vector<std::string>& names) {
  const std::set<std::string> gone(names.begin(), names.end());
  std::vector<std::string> out;
  for (const auto& e : explicit_names) {
    if (gone.count(e)) continue;
    const auto needs = WithDependencies(catalog, {e});
    if (std::any_of(gone.begin(), gone.end(), [&](const auto& g) { return needs.count(g) > 0; }))
      continue;
    out.push_back(e);
  }
  return out;
}

json Describe(const Catalog& catalog, const std::string& plugins_dir,
              const std::string& enabled_plugins_file,
              const std::vector<std::string>& explicit_names, const std::string& file_error) {
  json plugins = json::array();
  for (const auto& [name, m] : catalog.plugins)
    plugins.push_back({{"name", name},
                       {"version", m.version},
                       {"description", m.description},
                       {"dependencies", m.dependencies}});
  return json{{"plugins_dir", plugins_dir},
              {"enabled_plugins_file", enabled_plugins_file},
              {"explicit", explicit_names},
              {"enabled", WithDependencies(catalog, explicit_names)},
              {"running", json::array()},
              {"failed", json::object()},
              {"problems", catalog.problems},
              {"file_error", file_error},
              {"plugins", plugins}};
}

json Describe(const std::string& plugins_dir, const std::string& enabled_plugins_file) {
  auto names = ReadEnabledPlugins(enabled_plugins_file);
  return Describe(ScanPlugins(plugins_dir), plugins_dir, enabled_plugins_file,
                  names.ok() ? *names : std::vector<std::string>{},
                  names.ok() ? "" : names.status().message());
}

}  // namespace warren::plugin
