#include "node/config.h"

#include <charconv>

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace warren::node {
namespace {

using json = nlohmann::json;

// Setting-name prefixes warren knows. Plugins' settings are accepted here so a
// rabbitmq.conf written for a node with plugins loads unchanged.
constexpr const char* kKnownPrefixes[] = {
    "listeners.tcp",  "loopback_users", "default_user", "default_pass", "default_vhost",
    "default_user_tags", "default_permissions", "vm_memory_high_watermark", "disk_free_limit",
    "log.",           "cluster_name",   "cluster_partition_handling", "heartbeat",
    "frame_max",      "channel_max",    "max_message_size", "handshake_timeout", "management.", "prometheus.", "warren.",
    "cluster_formation", "queue_master_locator", "collect_statistics_interval", "net_ticktime"};

// Settings warren acts on must be spelled exactly; a typo there would silently leave
// an alarm threshold at its default.
constexpr const char* kExactKeys[] = {
    "vm_memory_high_watermark.relative", "vm_memory_high_watermark.absolute",
    "vm_memory_high_watermark_paging_ratio", "disk_free_limit.absolute",
    "disk_free_limit.relative"};

bool Known(const std::string& key) {
  for (const char* prefix : {"vm_memory_high_watermark", "disk_free_limit"}) {
    if (key.rfind(prefix, 0) == 0) {
      for (const char* k : kExactKeys)
        if (key == k) return true;
      return false;
    }
  }
  for (const char* p : kKnownPrefixes)
    if (key.rfind(p, 0) == 0) return true;
  return false;
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r"));
  auto end = s.find_last_not_of(" \t\r");
  s.erase(end == std::string::npos ? 0 : end + 1);
  return s;
}

void Flatten(const YAML::Node& node, const std::string& prefix, json& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      Flatten(kv.second, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (node.IsSequence()) {
    json arr = json::array();
    for (const auto& item : node) arr.push_back(item.as<std::string>());
    out[prefix] = arr;
  } else if (node.IsScalar()) {
    out[prefix] = node.as<std::string>();
  }
}

Result<json> ReadYaml(const std::string& path) {
  json flat = json::object();
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsNull() && !root.IsMap())
      return Status::BadInput(path + ": the configuration must be a YAML map of settings");
    Flatten(root, "", flat);
  } catch (const YAML::Exception& e) {
    return Status::BadInput(path + ": " + e.what());
  }
  return flat;
}

Result<json> ReadConf(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::BadInput("cannot read configuration file " + path);
  json flat = json::object();
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    if (eq == std::string::npos)
      return Status::BadInput(path + ":" + std::to_string(lineno) + ": expected 'key = value', got '" + t + "'");
    std::string key = Trim(t.substr(0, eq));
    std::string value = Trim(t.substr(eq + 1));
    if (key.empty())
      return Status::BadInput(path + ":" + std::to_string(lineno) + ": missing setting name");
    flat[key] = value;
  }
  return flat;
}

Result<Listener> ParseListener(const std::string& key, const std::string& v) {
  Listener l;
  std::string port = v;
  auto colon = v.rfind(':');
  if (colon != std::string::npos) {
    l.ip = v.substr(0, colon);
    if (l.ip.size() >= 2 && l.ip.front() == '[' && l.ip.back() == ']') l.ip = l.ip.substr(1, l.ip.size() - 2);
    port = v.substr(colon + 1);
  }
  int p = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || p > 65535)
      return Status::BadInput("setting " + key + ": '" + v + "' is not a port or ip:port");
    p = p * 10 + (c - '0');
  }
  if (port.empty() || p < 1 || p > 65535)
    return Status::BadInput("setting " + key + ": '" + v + "' is not a port or ip:port");
  l.port = p;
  return l;
}

Result<double> ParseFraction(const std::string& key, const std::string& v) {
  try {
    size_t used = 0;
    double d = std::stod(v, &used);
    if (used != v.size() || d < 0) throw std::invalid_argument(v);
    return d;
  } catch (const std::exception&) {
    return Status::BadInput("setting " + key + ": '" + v + "' is not a non-negative number");
  }
}

}  // namespace

Result<uint64_t> ParseByteSize(const std::string& text) {
  const Status bad = Status::BadInput("'" + text + "' is not a size such as 50MB or 1GB");
  std::string t = Trim(text);
  size_t i = 0;
  uint64_t n = 0;
  constexpr uint64_t kMax = ~uint64_t(0);
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
    const uint64_t digit = uint64_t(t[i] - '0');
    if (n > (kMax - digit) / 10) return bad;
    n = n * 10 + digit;
    ++i;
  }
  if (i == 0) return bad;
  std::string unit = Trim(t.substr(i));
  for (char& c : unit) c = char(std::toupper(static_cast<unsigned char>(c)));
  uint64_t multiplier = 0;
  if (unit.empty()) multiplier = 1;
  else if (unit == "KB" || unit == "K") multiplier = 1000;
  else if (unit == "MB" || unit == "M") multiplier = 1000 * 1000;
  else if (unit == "GB" || unit == "G") multiplier = 1000 * 1000 * 1000;
  else if (unit == "TB" || unit == "T") multiplier = uint64_t(1000) * 1000 * 1000 * 1000;
  else if (unit == "KIB" || unit == "KI") multiplier = uint64_t(1) << 10;
  else if (unit == "MIB" || unit == "MI") multiplier = uint64_t(1) << 20;
  else if (unit == "GIB" || unit == "GI") multiplier = uint64_t(1) << 30;
  else if (unit == "TIB" || unit == "TI") multiplier = uint64_t(1) << 40;
  if (multiplier == 0 || (n != 0 && n > kMax / multiplier)) return bad;
  return n * multiplier;
}

json EffectiveSettings(const Config& cfg) {
  json out = cfg.flat;
  auto has_prefix = [&](const std::string& prefix) {
    for (auto& [key, value] : out.items())
      if (key.rfind(prefix, 0) == 0) return true;
    return false;
  };
  if (!has_prefix("listeners.tcp.")) {
    // The listener the node environment chose (WARREN_NODE_IP_ADDRESS / _NODE_PORT).
    for (size_t i = 0; i < cfg.amqp_listeners.size(); ++i) {
      const Listener& l = cfg.amqp_listeners[i];
      std::string ip = l.ip.find(':') != std::string::npos ? "[" + l.ip + "]" : l.ip;
      out["listeners.tcp." + (i == 0 ? std::string("default") : std::to_string(i + 1))] =
          ip.empty() ? std::to_string(l.port) : ip + ":" + std::to_string(l.port);
    }
  }
  if (!has_prefix("loopback_users")) {
    if (cfg.loopback_users.empty()) out["loopback_users"] = "none";
    for (const auto& u : cfg.loopback_users) out["loopback_users." + u] = "true";
  }
  if (!out.contains("default_user")) out["default_user"] = cfg.default_user;
  out["default_pass"] = "********";
  if (!has_prefix("vm_memory_high_watermark.")) {
    std::ostringstream v;
    v << cfg.memory_high_watermark;
    out["vm_memory_high_watermark.relative"] = v.str();
  }
  if (!has_prefix("disk_free_limit.")) out["disk_free_limit.absolute"] = std::to_string(cfg.disk_free_limit);
  if (!out.contains("log.file.level")) out["log.file.level"] = cfg.log_level;
  if (!out.contains("net_ticktime")) out["net_ticktime"] = std::to_string(cfg.net_ticktime);
  return out;
}

namespace {

// A whole number in [min, max]; BadInput naming the setting otherwise.
Result<uint64_t> ParseCount(const std::string& key, const std::string& v, uint64_t min,
                            uint64_t max) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
    return Status::BadInput("setting " + key + ": expected a whole number from " +
                            std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                            v + "'");
  }
  return n;
}

}  // namespace

Result<Config> LoadConfig(const std::string& path, int default_port, const std::string& default_ip) {
  Config cfg;
  json flat = json::object();
  if (!path.empty()) {
    std::string p = path;
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(p, ec) && fs::path(p).extension().empty() && fs::exists(p + ".conf", ec))
      p += ".conf";
    if (!fs::exists(p, ec)) return Status::BadInput("configuration file " + p + " does not exist");
    auto ext = fs::path(p).extension().string();
    Result<json> r = (ext == ".yaml" || ext == ".yml") ? ReadYaml(p) : ReadConf(p);
    if (!r.ok()) return r.status();
    flat = std::move(r).value();
  }
  cfg.flat = flat;
  bool listeners_set = false;
  for (auto& [key, value] : flat.items()) {
    if (!Known(key))
      return Status::BadInput("configuration: unknown setting '" + key + "'" +
                              (path.empty() ? "" : " in " + path));
    if (!value.is_string()) continue;  // lists are kept for `environment` only
    const std::string v = value.get<std::string>();
    if (key.rfind("listeners.tcp.", 0) == 0) {
      WARREN_ASSIGN_OR_RETURN(Listener l, ParseListener(key, v));
      cfg.amqp_listeners.push_back(l);
      listeners_set = true;
    } else if (key == "loopback_users" && v == "none") {
      cfg.loopback_users.clear();
    } else if (key.rfind("loopback_users.", 0) == 0) {
      std::string user = key.substr(15);
      std::erase(cfg.loopback_users, user);
      if (v == "true") cfg.loopback_users.push_back(user);
      else if (v != "false")
        return Status::BadInput("setting " + key + ": expected true or false, got '" + v + "'");
    } else if (key == "default_user") {
      cfg.default_user = v;
    } else if (key == "default_pass") {
      cfg.default_pass = v;
    } else if (key == "vm_memory_high_watermark.relative") {
      WARREN_ASSIGN_OR_RETURN(cfg.memory_high_watermark, ParseFraction(key, v));
    } else if (key == "vm_memory_high_watermark.absolute") {
      auto r = ParseByteSize(v);
      if (!r.ok()) return Status::BadInput("setting " + key + ": " + r.status().message());
      cfg.memory_high_watermark_absolute = *r;
    } else if (key == "disk_free_limit.absolute") {
      auto r = ParseByteSize(v);
      if (!r.ok()) return Status::BadInput("setting " + key + ": " + r.status().message());
      cfg.disk_free_limit = *r;
      cfg.disk_free_limit_relative = 0;
    } else if (key == "disk_free_limit.relative") {
      WARREN_ASSIGN_OR_RETURN(cfg.disk_free_limit_relative, ParseFraction(key, v));
    } else if (key == "log.file.level" || key == "log.console.level") {
      if (v != "debug" && v != "info" && v != "warning" && v != "error")
        return Status::BadInput("setting " + key + ": expected debug, info, warning or error");
      cfg.log_level = v;
    } else if (key == "heartbeat") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 0, 65535));
      cfg.heartbeat = uint16_t(n);
    } else if (key == "frame_max") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 4096, 0xFFFFFFFF));
      cfg.frame_max = uint32_t(n);
    } else if (key == "channel_max") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 1, 65535));
      cfg.channel_max = uint16_t(n);
    } else if (key == "max_message_size") {
      WARREN_ASSIGN_OR_RETURN(cfg.max_message_size, ParseCount(key, v, 1, 536870912));
    } else if (key == "handshake_timeout") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 1, 0xFFFFFFFF));
      cfg.handshake_timeout = uint32_t(n);
    } else if (key == "cluster_name") {
      cfg.cluster_name = v;
    } else if (key == "cluster_partition_handling") {
      if (v != "pause_minority" && v != "autoheal" && v != "ignore")
        return Status::BadInput("setting cluster_partition_handling: expected pause_minority, "
                                "autoheal or ignore, got '" + v + "'");
      cfg.partition_handling = v;
    } else if (key == "net_ticktime") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 1, 3600));
      cfg.net_ticktime = uint32_t(n);
    } else if (key == "warren.cluster_boot_wait") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 0, 3600000));
      cfg.cluster_boot_wait = uint32_t(n);
    } else if (key == "warren.queue_page_above") {
      WARREN_ASSIGN_OR_RETURN(cfg.queue_page_above, ParseCount(key, v, 1, 1ull << 32));
    } else if (key == "warren.shards") {
      WARREN_ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, v, 1, 256));
      cfg.shards = int(n);
    }
  }
  if (!listeners_set) cfg.amqp_listeners.push_back(Listener{default_ip, default_port});
  return cfg;
}

}  // namespace warren::node
