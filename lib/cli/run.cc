#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "base/node_env.h"
#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "cli/help.h"
#include "cli/output.h"
#include "control/client.h"

namespace warren::cli {
namespace {

constexpr const char* kFormatters[] = {"table", "json", "csv", "pretty_table"};

std::string Basename(const char* argv0) {
  std::string_view s(argv0 ? argv0 : "");
  auto slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

Tool ToolFor(const char* argv0, Scope default_scope) {
  std::string name = Basename(argv0);
  if (name == "rabbitmqctl") return {kCtl, name};
  if (name == "rabbitmq-plugins") return {kPlugins, name};
  if (name == "rabbitmq-diagnostics") return {kDiagnostics, name};
  return {default_scope, WarrenToolName(default_scope)};
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

int UnknownCommand(const Tool& tool, const std::string& name) {
  const CommandSpec* best = nullptr;
  size_t best_d = 3;
  for (const auto& c : Commands()) {
    if (!(c.scopes & tool.scope)) continue;
    size_t d = EditDistance(name, c.name);
    if (d < best_d) {
      best_d = d;
      best = &c;
    }
  }
  if (best) {
    std::fprintf(stderr, "\nCommand '%s' not found. \nDid you mean '%s'? \n\n", name.c_str(),
                 best->name.c_str());
  } else {
    std::fprintf(stderr, "\nCommand '%s' not found. \n%s", name.c_str(), GeneralUsage(tool).c_str());
  }
  return kExitUsage;
}

struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  std::optional<std::string> node, formatter, timeout, vhost;
  bool quiet = false, silent = false, no_headers = false, help = false;
  std::vector<std::string> bad;  // "--flag : value" lines
};

const Flag* FindFlag(const std::vector<Flag>& flags, std::string_view name, bool is_short) {
  for (const auto& f : flags) {
    if (is_short ? (name.size() == 1 && f.short_name == name[0]) : f.name == name) return &f;
  }
  return nullptr;
}

// Global options may come anywhere; command flags are looked up in `spec` once known.
Parsed Parse(const std::vector<std::string>& argv, Scope scope) {
  Parsed p;
  const CommandSpec* spec = nullptr;
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      p.positional.push_back(a);
      if (p.positional.size() == 1) spec = FindCommand(a, scope);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    const bool is_long = a.rfind("--", 0) == 0;
    std::string name = is_long ? a.substr(2) : a.substr(1);
    std::optional<std::string> inline_value;
    if (is_long) {
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
    }
    auto take_value = [&](const std::string& display) -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 < argv.size()) return argv[++i];
      p.bad.push_back(display + " : ");
      return std::nullopt;
    };
    const std::string display = is_long ? "--" + name : "-" + name;
    if (name == "n" || name == "node") {
      p.node = take_value("--node");
    } else if (name == "q" || name == "quiet") {
      p.quiet = true;
    } else if (name == "s" || name == "silent") {
      p.silent = true;
    } else if (name == "no-table-headers") {
      p.no_headers = true;
    } else if (name == "formatter") {
      p.formatter = take_value("--formatter");
    } else if (name == "t" || name == "timeout") {
      p.timeout = take_value("--timeout");
    } else if (name == "p" || name == "vhost") {
      p.vhost = take_value(display);
    } else if (name == "l" || name == "longnames") {
      // Long host names need no special handling: node names are resolved as given.
    } else if (name == "?" || name == "h" || name == "help") {
      p.help = true;
    } else if (const Flag* f = spec ? FindFlag(spec->flags, name, !is_long) : nullptr) {
      if (f->takes_value) {
        if (auto v = take_value("--" + f->name)) p.flags[f->name] = *v;
      } else {
        p.flags[f->name] = "true";
      }
    } else {
      p.bad.push_back(display + " : " + (inline_value ? *inline_value : ""));
    }
  }
  return p;
}

Result<int> ParseTimeoutMs(const std::string& text) {
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || ptr != text.data() + text.size() || seconds < 0)
    return Status::BadInput("--timeout : " + text);
  return int(seconds * 1000);
}

std::vector<std::string> SplitColumns(const std::vector<std::string>& args) {
  std::vector<std::string> cols;
  for (const auto& a : args) {
    size_t start = 0;
    while (start <= a.size()) {
      size_t comma = a.find(',', start);
      std::string c = a.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!c.empty()) cols.push_back(c);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return cols;
}

bool IsThisHost(const std::string& host) {
  if (host == "localhost" || host == ShortHostname()) return true;
  char full[256] = {};
  return ::gethostname(full, sizeof(full) - 1) == 0 && host == full;
}

// The door to `node` (docs/clustering.md, "Reaching a node on another host"): its control
// socket when one exists here; else, for a node on another host or when WARREN_DIST_PORT
// is set, its inter-node port, where the cookie opens the connection. nullopt: the socket.
Result<std::optional<control::RemoteNode>> RemoteDoor(const EnvLookup& env, const NodeName& node,
                                                      const std::string& socket_path) {
  struct stat st;
  if (::lstat(socket_path.c_str(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
    return std::optional<control::RemoteNode>();
  const bool port_given = LookupSetting(env, "DIST_PORT").has_value();
  if (!port_given && IsThisHost(node.host)) return std::optional<control::RemoteNode>();
  WARREN_ASSIGN_OR_RETURN(NodeEnv node_env, ResolveNodeEnv(env, node.full()));
  control::RemoteNode remote;
  remote.host = node.host;
  // With no epmd to ask, a CLI assumes the default inter-node port.
  remote.port = port_given ? node_env.dist_port : kDefaultDistPort;
  remote.cookie_file = node_env.cookie_file;
  remote.self = "cli-" + std::to_string(::getpid()) + "@" + ShortHostname();
  return std::optional<control::RemoteNode>(std::move(remote));
}

}  // namespace

control::Client Invocation::NewClient(int timeout_ms) const {
  if (remote) return control::Client(*remote, timeout_ms);
  return control::Client(socket_path, timeout_ms);
}

control::Client& Invocation::client() {
  if (!client_) client_ = std::make_shared<control::Client>(NewClient(timeout_ms.value_or(-1)));
  return *client_;
}

int RunTool(int argc, char** argv, Scope default_scope) {
  const Tool tool = ToolFor(argc > 0 ? argv[0] : nullptr, default_scope);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  Parsed p = Parse(args, tool.scope);

  if (p.positional.empty()) {
    if (p.help) {
      std::fputs(GeneralUsage(tool).c_str(), stdout);
      return kExitOk;
    }
    std::fputs(GeneralUsage(tool).c_str(), stderr);
    return kExitUsage;
  }
  const std::string name = p.positional.front();
  const CommandSpec* spec = FindCommand(name, tool.scope);
  if (!spec) return UnknownCommand(tool, name);
  if (p.help) {
    std::fputs(CommandHelp(tool, *spec).c_str(), stdout);
    return kExitOk;
  }

  Invocation inv;
  inv.tool = &tool;
  inv.spec = spec;
  inv.argv = args;
  inv.args.assign(p.positional.begin() + 1, p.positional.end());
  inv.flags = p.flags;
  inv.quiet = p.quiet;
  inv.silent = p.silent;
  inv.no_table_headers = p.no_headers;

  if (p.timeout) {
    auto t = ParseTimeoutMs(*p.timeout);
    if (!t.ok()) p.bad.push_back(t.status().message());
    else inv.timeout_ms = *t;
  }
  if (p.formatter) {
    const bool known = std::find(std::begin(kFormatters), std::end(kFormatters), *p.formatter) !=
                       std::end(kFormatters);
    if (!known) {
      return PrintValidationError(tool, spec, args,
                                  "Error (argument validation): formatter '" + *p.formatter +
                                      "' is not supported; use table, json, csv or pretty_table",
                                  kExitUsage);
    }
    inv.formatter = *p.formatter;
  }
  if (!p.bad.empty()) {
    std::string msg = "Error (argument validation): Invalid options for this command:";
    for (const auto& b : p.bad) msg += "\n" + b;
    return PrintValidationError(tool, spec, args, msg, kExitUsage);
  }
  if (p.vhost) {
    inv.vhost = *p.vhost;
    inv.vhost_given = true;
  }

  if (spec->column_args) {
    inv.columns = SplitColumns(inv.args);
    std::vector<std::string> unknown;
    for (const auto& c : inv.columns)
      if (std::find(spec->columns.begin(), spec->columns.end(), c) == spec->columns.end())
        unknown.push_back(c);
    if (!unknown.empty()) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
      return PrintValidationError(tool, spec, args,
                                  "Error (argument validation): Info key(s) " + list +
                                      " are not supported",
                                  kExitUsage);
    }
  } else {
    if (int(inv.args.size()) < spec->min_args)
      return PrintValidationError(tool, spec, args,
                                  "Error (argument validation): not enough arguments.", kExitUsage);
    if (spec->max_args >= 0 && int(inv.args.size()) > spec->max_args)
      return PrintValidationError(tool, spec, args,
                                  "Error (argument validation): too many arguments.", kExitUsage);
  }
  if (spec->validate) {
    Status s = spec->validate(inv);
    if (!s.ok()) {
      int code = s.kind() == ErrorKind::kPrecondition ? kExitUsage : kExitDataErr;
      return PrintValidationError(tool, spec, args,
                                  "Error (argument validation): " + s.message(), code);
    }
  }

  const EnvLookup env = ProcessEnv();
  std::string node_text =
      p.node ? *p.node : LookupSetting(env, "NODENAME").value_or("warren");
  auto node = ParseNodeName(node_text);
  if (!node.ok()) {
    std::fprintf(stderr, "Error:\n%s\n", node.status().message().c_str());
    return kExitDataErr;
  }
  inv.node = node->full();
  inv.socket_path = ControlSocketPath(env, *node);
  auto remote = RemoteDoor(env, *node, inv.socket_path);
  if (!remote.ok()) {
    std::fprintf(stderr, "Error:\n%s\n", remote.status().message().c_str());
    return kExitDataErr;
  }
  inv.remote = std::move(remote).value();

  if (spec->needs_app != NeedsApp::kAny) {
    Result<json> state = inv.client().Call(
        "GET", spec->needs_app == NeedsApp::kRunning ? "/api/node/require/running"
                                                     : "/api/node/require/stopped");
    if (!state.ok()) return PrintError(inv, state.status());
  }
  const std::string banner = spec->banner ? spec->banner(inv) : "";
  if (spec->banner_on_error) PrintBanner(inv, banner);
  std::fflush(stdout);
  Result<json> result = spec->run(inv);
  if (!result.ok()) {
    std::fflush(stdout);
    return PrintError(inv, result.status());
  }
  if (!spec->banner_on_error) PrintBanner(inv, banner);
  int code = kExitOk;
  if (spec->output) {
    code = spec->output(inv, *result);
  } else if (!spec->columns.empty() && result->is_array()) {
    code = PrintRows(inv, *result);
  }
  std::fflush(stdout);
  return code;
}

}  // namespace warren::cli
