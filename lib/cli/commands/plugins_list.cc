#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"
#include "cli/commands/plugins_common.h"

namespace warren::cli::commands {
namespace {

// Erlang strings are lists of character codes; rabbitmq-plugins' JSON shows them so.
json CharCodes(const std::string& s) {
  json out = json::array();
  for (unsigned char c : s) out.push_back(int(c));
  return out;
}

std::string Pattern(const Invocation& inv) { return inv.args.empty() ? ".*" : inv.args[0]; }

}  // namespace

CommandSpec PluginsList() {
  CommandSpec c;
  c.name = "list";
  c.scopes = kPlugins;
  c.section = "Plugin Management";
  c.description = "Lists plugins and their state";
  c.usage = "[pattern] [--verbose] [--minimal] [--enabled] [--implicitly-enabled]";
  c.arg_docs = {{"<pattern>", "only list plugins that match a regular expression pattern"}};
  c.doc_guides = {"https://rabbitmq.com/plugins.html"};
  c.flags = {{"verbose", 'v', false, "", "output more information"},
             {"minimal", 'm', false, "", "only print plugin names. Most useful in compbination with --silent and --enabled."},
             {"enabled", 'E', false, "", "only list enabled plugins"},
             {"implicitly-enabled", 'e', false, "", "include plugins enabled as dependencies of other plugins"}};
  c.max_args = 1;
  c.validate = [](const Invocation& inv) {
    try {
      std::regex re(Pattern(inv));
    } catch (const std::regex_error&) {
      return Status::BadInput("'" + Pattern(inv) + "' is not a valid regular expression");
    }
    if (inv.has("verbose") && inv.has("minimal"))
      return Status::Precondition("--verbose and --minimal cannot be used together");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Listing plugins with pattern \"" + Pattern(inv) + "\" ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(PluginsView view, LoadPlugins(inv));
    json s = view.state;
    s["online"] = view.online;
    return s;
  };
  c.output = [](Invocation& inv, const json& s) {
    const std::regex re(Pattern(inv));
    const auto explicit_names = s["explicit"].get<std::set<std::string>>();
    const auto enabled = s["enabled"].get<std::set<std::string>>();
    const auto running = s["running"].get<std::set<std::string>>();
    const bool online = s["online"].get<bool>();
    std::vector<json> shown;
    for (const auto& p : s["plugins"]) {
      const std::string name = p["name"];
      if (!std::regex_search(name, re)) continue;
      if (inv.has("enabled") && !explicit_names.count(name)) continue;
      if (inv.has("implicitly-enabled") && !enabled.count(name)) continue;
      shown.push_back(p);
    }
    for (const auto& problem : s["problems"]) std::fprintf(stderr, "%s\n", problem.get<std::string>().c_str());
    if (!s["file_error"].get<std::string>().empty())
      std::fprintf(stderr, "%s\n", s["file_error"].get<std::string>().c_str());
    for (const auto& [name, why] : s["failed"].items())
      std::fprintf(stderr, "Plugin %s failed to start on node %s: %s\n", name.c_str(),
                   inv.node.c_str(), why.get<std::string>().c_str());

    if (inv.formatter == "json") {
      json plugins = json::array();
      for (const auto& p : shown) {
        const std::string name = p["name"];
        const bool run = running.count(name) > 0;
        json row = {{"enabled", explicit_names.count(name) ? "enabled"
                                : enabled.count(name)      ? "implicit"
                                                           : "not_enabled"},
                    {"name", name},
                    {"running", run},
                    {"running_version", run ? CharCodes(p["version"]) : json(nullptr)},
                    {"version", CharCodes(p["version"])}};
        if (inv.has("verbose")) {
          row["dependencies"] = p["dependencies"];
          row["description"] = p["description"];
        }
        plugins.push_back(row);
      }
      const char* format = inv.has("minimal") ? "minimal" : inv.has("verbose") ? "verbose" : "normal";
      PrintJsonLine({{"format", format}, {"plugins", plugins}, {"status", online ? "running" : "node_down"}});
      return 0;
    }
    if (inv.has("minimal")) {
      for (const auto& p : shown) std::printf("%s\n", p["name"].get<std::string>().c_str());
      return 0;
    }
    std::printf(" Configured: E = explicitly enabled; e = implicitly enabled\n");
    if (online)
      std::printf(" | Status: * = running on %s\n", inv.node.c_str());
    else
      std::printf(" | Status: [failed to contact %s - status not shown]\n", inv.node.c_str());
    std::printf(" |/\n");
    size_t width = 0;
    for (const auto& p : shown) width = std::max(width, p["name"].get<std::string>().size());
    for (const auto& p : shown) {
      const std::string name = p["name"];
      const char e = explicit_names.count(name) ? 'E' : enabled.count(name) ? 'e' : ' ';
      const char r = running.count(name) ? '*' : ' ';
      if (inv.has("verbose")) {
        std::string deps;
        for (const auto& d : p["dependencies"]) deps += (deps.empty() ? "" : ",") + d.get<std::string>();
        std::printf("[%c%c] %s\n     Version:     \t%s\n     Dependencies:\t[%s]\n     Description: \t%s\n",
                    e, r, name.c_str(), p["version"].get<std::string>().c_str(), deps.c_str(),
                    p["description"].get<std::string>().c_str());
      } else {
        std::printf("[%c%c] %-*s %s\n", e, r, int(width), name.c_str(),
                    p["version"].get<std::string>().c_str());
      }
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
