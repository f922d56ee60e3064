#include "cli/commands/plugins_common.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/node_env.h"
#include "cli/commands/common.h"
#include "plugin/catalog.h"

namespace warren::cli::commands {
namespace {

void PrintIndented(const std::vector<std::string>& names) {
  for (const auto& n : names) std::printf("  %s\n", n.c_str());
}

// `explicit_names` and their dependencies, from the view's plugin list.
std::set<std::string> Closure(const PluginsView& view, const std::vector<std::string>& explicit_names) {
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& p : view.state["plugins"])
    deps[p["name"].get<std::string>()] = p["dependencies"].get<std::vector<std::string>>();
  std::set<std::string> out;
  std::vector<std::string> todo = explicit_names;
  while (!todo.empty()) {
    std::string n = todo.back();
    todo.pop_back();
    if (!deps.count(n) || !out.insert(n).second) continue;
    for (const auto& d : deps[n]) todo.push_back(d);
  }
  return out;
}

std::vector<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::vector<Flag> OnlineOfflineFlags() {
  return {{"online", 0, false, "", "contact the running node; fail if it cannot be reached"},
          {"offline", 0, false, "",
           "change only the enabled plugins file; the node picks it up when it starts"}};
}

Status CheckOnlineOffline(const Invocation& inv) {
  if (inv.has("online") && inv.has("offline"))
    return Status::Precondition("--online and --offline cannot be used together");
  return Status::OK();
}

Status CheckNamesOrAll(const Invocation& inv) {
  WARREN_TRY(CheckOnlineOffline(inv));
  if (inv.args.empty() && !inv.has("all")) return Status::Precondition("not enough arguments.");
  return Status::OK();
}

std::function<std::string(const Invocation&)> ChangeBanner(std::string verb) {
  return [verb = std::move(verb)](const Invocation& inv) {
    std::string b = verb + " plugins on node " + inv.node + ":";
    for (const auto& a : inv.args) b += "\n" + a;
    return b;
  };
}

Status CheckEnabledFileReadable(const PluginsView& view) {
  const auto error = view.state["file_error"].get<std::string>();
  if (error.empty()) return Status::OK();
  return Status::BadInput(error + "\nFix the file, or replace its list with 'warren-plugins set'");
}

std::vector<std::string> Names(const json& array) {
  std::vector<std::string> out;
  if (array.is_array())
    for (const auto& n : array) out.push_back(n.get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

Result<PluginsView> LoadPlugins(Invocation& inv) {
  if (!inv.has("offline")) {
    Result<json> r = Call(inv, "GET", "/api/plugins");
    if (r.ok()) return PluginsView{std::move(r).value(), true};
    const bool down = r.status().kind() == ErrorKind::kUnavailable &&
                      r.status().subject() == control::kSubjectNodeDown;
    if (!down || inv.has("online")) return r.status();
  }
  auto env = ResolveNodeEnv(ProcessEnv(), inv.node);
  if (!env.ok()) return env.status();
  return PluginsView{plugin::Describe(env->plugins_dir, env->enabled_plugins_file), false};
}

Status CheckKnown(const PluginsView& view, const std::vector<std::string>& names) {
  std::set<std::string> known;
  for (const auto& p : view.state["plugins"]) known.insert(p["name"].get<std::string>());
  std::string missing;
  for (const auto& n : names)
    if (!known.count(n)) missing += (missing.empty() ? ":" : ", :") + n;
  if (missing.empty()) return Status::OK();
  for (const auto& p : view.state["problems"])
    std::fprintf(stderr, "%s\n", p.get<std::string>().c_str());
  return Status::Internal("{:plugins_not_found, [" + missing + "]}");
}

Result<json> ApplyPlugins(Invocation& inv, const PluginsView& before,
                          std::vector<std::string> explicit_names, Change change) {
  std::sort(explicit_names.begin(), explicit_names.end());
  explicit_names.erase(std::unique(explicit_names.begin(), explicit_names.end()),
                       explicit_names.end());
  const auto old_explicit = before.state["explicit"].get<std::vector<std::string>>();
  const std::set<std::string> was = Closure(before, old_explicit);
  const std::set<std::string> will = Closure(before, explicit_names);
  if (will.empty()) {
    std::printf("All plugins have been disabled.\n");
  } else {
    std::printf("The following plugins have been configured:\n");
    PrintIndented({will.begin(), will.end()});
  }
  std::printf("Applying plugin configuration to %s...\n", inv.node.c_str());
  std::fflush(stdout);

  if (!before.online) {
    const auto file = before.state["enabled_plugins_file"].get<std::string>();
    WARREN_TRY(plugin::WriteEnabledPlugins(file, explicit_names));
    const bool same = was == will && old_explicit == explicit_names;
    if (same || (change == Change::kSet && will.empty())) {
      std::printf(change == Change::kSet ? "nothing to do.\n" : "Plugin configuration unchanged.\n");
      return json(nullptr);
    }
    if (change != Change::kSet) {
      std::printf(change == Change::kEnable ? "The following plugins have been enabled:\n"
                                            : "The following plugins have been disabled:\n");
      PrintIndented(change == Change::kEnable ? Minus(will, was) : Minus(was, will));
      std::printf("\n");
    }
    std::printf("set %zu plugins.\nOffline change; changes will take effect at broker restart.\n",
                will.size());
    return json(nullptr);
  }

  WARREN_ASSIGN_OR_RETURN(json r, Call(inv, "PUT", "/api/plugins", json{{"enabled", explicit_names}}));
  const auto started = Names(r["started"]), stopped = Names(r["stopped"]);
  if (started.empty() && stopped.empty() && r["failed"].empty()) {
    std::printf(change == Change::kSet ? "nothing to do.\n" : "Plugin configuration unchanged.\n");
    return json(nullptr);
  }
  if (change == Change::kEnable && !started.empty()) {
    std::printf("The following plugins have been enabled:\n");
    PrintIndented(started);
    std::printf("\n");
  }
  if (change == Change::kDisable && !stopped.empty()) {
    std::printf("The following plugins have been disabled:\n");
    PrintIndented(stopped);
    std::printf("\n");
  }
  if (!stopped.empty() && change != Change::kEnable) std::printf("stopped %zu plugins.\n", stopped.size());
  if (!started.empty() && change != Change::kDisable) std::printf("started %zu plugins.\n", started.size());
  if (!r["failed"].empty()) {
    std::string why;
    for (const auto& [name, reason] : r["failed"].items())
      why += (why.empty() ? "" : "\n") + ("Plugin " + name + " failed to start on node " +
                                          inv.node + ": " + reason.get<std::string>());
    return Status::Internal(why + "\nThe node keeps running; see its log, then fix the plugin "
                                  "or disable it");
  }
  return json(nullptr);
}

}  // namespace warren::cli::commands
