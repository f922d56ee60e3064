#include "base/node_env.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include <cstdlib>
#include <filesystem>

namespace warren {
namespace {

// Beside the binaries: <bin>/../lib/warren/plugins, where a build tree and an install
// alike put them; otherwise the directory `cmake --install` fills.
std::string DefaultPluginsDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto dir = exe.parent_path().parent_path() / "lib" / "warren" / "plugins";
    if (std::filesystem::is_directory(dir, ec)) return dir.string();
  }
#ifdef WARREN_DEFAULT_PLUGINS_DIR
  return WARREN_DEFAULT_PLUGINS_DIR;
#else
  return "/usr/local/lib/warren/plugins";
#endif
}

bool ValidNodePart(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<int> ParsePort(std::string_view key, const std::string& text) {
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || port > 65535) {
      return Status::BadInput("invalid " + std::string(key) + " '" + text +
                              "': expected a port number from 1 to 65535");
    }
    port = port * 10 + (c - '0');
  }
  if (text.empty() || port < 1 || port > 65535)
    return Status::BadInput("invalid " + std::string(key) + " '" + text +
                            "': expected a port number from 1 to 65535");
  return port;
}

std::string HomeDir(const EnvLookup& env) {
  if (auto h = env("HOME"); h && !h->empty()) return *h;
  return "/tmp";
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view key) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(key).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::string ShortHostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  std::string host(buf);
  if (auto dot = host.find('.'); dot != std::string::npos) host.resize(dot);
  return host;
}

Result<NodeName> ParseNodeName(std::string_view text) {
  NodeName n;
  auto at = text.find('@');
  if (at == std::string_view::npos) {
    n.name = std::string(text);
    n.host = ShortHostname();
  } else {
    n.name = std::string(text.substr(0, at));
    n.host = std::string(text.substr(at + 1));
  }
  if (!ValidNodePart(n.name) || !ValidNodePart(n.host)) {
    return Status::BadInput("invalid node name '" + std::string(text) +
                            "': expected <name>@<host> with letters, digits, '-', '_' or '.'");
  }
  return n;
}

std::optional<std::string> LookupSetting(const EnvLookup& env, std::string_view key) {
  std::string k(key);
  if (auto v = env("WARREN_" + k); v && !v->empty()) return v;
  if (auto v = env("RABBITMQ_" + k); v && !v->empty()) return v;
  return std::nullopt;
}

std::string RunDir(const EnvLookup& env) {
  if (auto v = LookupSetting(env, "RUN_DIR")) return *v;
  if (auto x = env("XDG_RUNTIME_DIR"); x && !x->empty()) return *x + "/warren";
  return "/tmp/warren-" + std::to_string(geteuid());
}

std::string ControlSocketPath(const EnvLookup& env, const NodeName& node) {
  return RunDir(env) + "/" + node.full() + ".sock";
}

Result<NodeEnv> ResolveNodeEnv(const EnvLookup& env, std::optional<std::string> nodename) {
  NodeEnv e;
  std::string name = nodename ? *nodename : LookupSetting(env, "NODENAME").value_or("warren");
  WARREN_ASSIGN_OR_RETURN(e.node, ParseNodeName(name));

  if (auto b = LookupSetting(env, "BASE")) {
    e.base_dir = *b;
  } else if (auto x = env("XDG_DATA_HOME"); x && !x->empty()) {
    e.base_dir = *x + "/warren";
  } else {
    e.base_dir = HomeDir(env) + "/.local/share/warren";
  }
  const std::string full = e.node.full();
  if (auto d = LookupSetting(env, "MNESIA_DIR")) {
    e.data_dir = *d;
  } else {
    std::string data_base = LookupSetting(env, "MNESIA_BASE").value_or(e.base_dir + "/data");
    e.data_dir = data_base + "/" + full;
  }
  e.log_dir = LookupSetting(env, "LOG_BASE").value_or(e.base_dir + "/log");
  e.log_file = e.log_dir + "/" + full + ".log";
  e.pid_file = LookupSetting(env, "PID_FILE").value_or(e.data_dir + ".pid");
  e.run_dir = RunDir(env);
  e.control_socket = ControlSocketPath(env, e.node);

  if (auto c = LookupSetting(env, "CONFIG_FILE")) {
    e.config_file = *c;
  } else if (std::error_code ec; std::filesystem::exists(e.base_dir + "/warren.yaml", ec)) {
    e.config_file = e.base_dir + "/warren.yaml";
  }
  e.enabled_plugins_file =
      LookupSetting(env, "ENABLED_PLUGINS_FILE").value_or(e.base_dir + "/enabled_plugins");
  e.plugins_dir = LookupSetting(env, "PLUGINS_DIR").value_or(DefaultPluginsDir());
  e.cookie_file = LookupSetting(env, "COOKIE_FILE").value_or(e.base_dir + "/.cookie");

  if (auto p = LookupSetting(env, "NODE_PORT")) {
    WARREN_ASSIGN_OR_RETURN(e.node_port, ParsePort("WARREN_NODE_PORT", *p));
  }
  if (auto p = LookupSetting(env, "DIST_PORT")) {
    WARREN_ASSIGN_OR_RETURN(e.dist_port, ParsePort("WARREN_DIST_PORT", *p));
  } else {
    e.dist_port = e.node_port + 20000;
    if (e.dist_port > 65535)
      return Status::BadInput("WARREN_NODE_PORT " + std::to_string(e.node_port) +
                              " + 20000 is not a port; set WARREN_DIST_PORT");
  }
  e.node_ip = LookupSetting(env, "NODE_IP_ADDRESS").value_or("");
  return e;
}

Result<std::string> ReadCookieFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::Unavailable("cannot read the cookie file " + path + ": " + std::strerror(errno));
  std::string cookie;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return Status::Unavailable("cannot read the cookie file " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    cookie.append(buf, size_t(n));
  }
  ::close(fd);
  while (!cookie.empty() && (cookie.back() == '\n' || cookie.back() == '\r')) cookie.pop_back();
  if (cookie.empty()) return Status::Unavailable("the cookie file " + path + " is empty");
  return cookie;
}

std::optional<size_t> HolderShard(const std::string& holder, const std::string& node) {
  if (holder == node) return 0;
  if (holder.size() <= node.size() + 1 || holder.compare(0, node.size(), node) != 0 ||
      holder[node.size()] != '/')
    return std::nullopt;
  size_t shard = 0;
  const char* end = holder.data() + holder.size();
  auto [ptr, ec] = std::from_chars(holder.data() + node.size() + 1, end, shard);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return shard;
}

std::string HolderName(const std::string& node, size_t shard) {
  return shard == 0 ? node : node + "/" + std::to_string(shard);
}

}  // namespace warren
