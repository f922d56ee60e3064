#include "node/facts.h"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "base/version.h"
#include "node/resources.h"

namespace warren::node {
namespace {

using json = nlohmann::json;

// "gcc 12.2.0" / "clang 16.0.6": the compiler that built this node.
std::string CompilerName() {
#if defined(__clang__)
  return "clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) + "." +
         std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
  return "gcc " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown compiler";
#endif
}

}  // namespace

uint64_t MemoryLimit(const Config& config) {
  if (config.memory_high_watermark_absolute > 0) return config.memory_high_watermark_absolute;
  return uint64_t(double(TotalMemoryBytes()) * config.memory_high_watermark);
}

uint64_t DiskLimit(const Config& config) {
  if (config.disk_free_limit_relative > 0)
    return uint64_t(double(TotalMemoryBytes()) * config.disk_free_limit_relative);
  return config.disk_free_limit;
}

unsigned UsableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return unsigned(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

json NodeFacts(const NodeEnv& env, const Config& config, std::chrono::seconds uptime,
               const std::set<int>& amqp_ports, const std::string& metadata_dir) {
  utsname u{};
  ::uname(&u);
  const FdCounts fds = ReadFdCounts();
  const MemoryBreakdown mem = ReadMemoryBreakdown();
  json breakdown = json::array();
  for (const auto& [name, bytes] : mem.categories) breakdown.push_back(json::array({name, bytes}));
  json watermark = config.memory_high_watermark_absolute > 0
                       ? json{{"absolute", config.memory_high_watermark_absolute}}
                       : json{{"relative", config.memory_high_watermark}};
  const unsigned cores = UsableCores();
  return json{
      {"node", env.node.full()},
      {"pid", ::getpid()},
      {"os", std::string(u.sysname)},
      {"os_release", std::string(u.release)},
      {"uptime_seconds", uptime.count()},
      {"version", kVersion},
      {"rabbitmq_version", kRabbitmqCompatVersion},
      {"runtime", std::string("warren ") + kVersion + " [" + CompilerName() + "] [C++" +
                      std::to_string(__cplusplus / 100 % 100) + "] [" +
                      std::to_string(sizeof(void*) * 8) + "-bit] [cores:" +
                      std::to_string(cores) + "]"},
      // Password hashing uses warren's own SHA-256 (lib/base/bytes.h); no TLS library.
      {"crypto_lib", "built-in SHA-256"},
      {"data_dir", env.data_dir},
      {"metadata_dir", metadata_dir},
      {"log_file", env.log_file},
      {"config_files", env.config_file.empty() ? json::array() : json::array({env.config_file})},
      {"enabled_plugins_file", env.enabled_plugins_file},
      {"plugins_dir", env.plugins_dir},
      {"control_socket", env.control_socket},
      {"pid_file", env.pid_file},
      {"cookie_file", env.cookie_file},
      {"memory",
       {{"rss", mem.rss},
        {"peak_rss", ReadProcStatus("VmHWM") * 1024},
        {"allocated", mem.allocated},
        {"used", mem.used},
        {"strategy", "rss"},
        {"breakdown", breakdown},
        {"total", TotalMemoryBytes()},
        {"watermark", watermark},
        {"watermark_relative", config.memory_high_watermark},
        {"limit", MemoryLimit(config)}}},
      {"disk", {{"free", DiskFreeBytes(env.data_dir)}, {"limit", DiskLimit(config)}}},
      // Sockets share the descriptor limit: warren reserves none for other files.
      {"file_descriptors",
       {{"used", fds.total},
        {"limit", fds.limit},
        {"sockets_used", fds.sockets},
        {"sockets_limit", fds.limit}}},
      {"threads", ThreadCount()},
      {"threads_limit", ThreadLimit()},
      {"connections", EstablishedConnections(amqp_ports, fds.socket_inodes)},
  };
}

}  // namespace warren::node
