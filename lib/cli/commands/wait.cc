#include <charconv>
#include <chrono>
#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {
namespace {

using Clock = std::chrono::steady_clock;

// As rabbitmqctl: the pid file and the node's control socket are awaited this long;
// the app's boot has its own, longer limit.
constexpr int kDefaultTimeoutMs = 10'000;
constexpr int kAppBootTimeoutMs = 300'000;

// Failures rabbitmqctl reports with exit code 70, worded as it words them.
Status WaitFailed(const std::string& message) { return Status::Unavailable(message, "wait_failed"); }

void Log(const Invocation& inv, const std::string& line) {
  if (inv.quiet || inv.silent) return;
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// Waits until the control socket answers while `pid` lives.
Status AwaitControlSocket(Invocation& inv, pid_t pid, Clock::time_point deadline) {
  control::Client client(inv.socket_path, 1000);
  for (;;) {
    if (!ProcessAlive(pid)) return WaitFailed("Error: process is not running.");
    if (client.Call("GET", "/api/node/state").ok()) return Status::OK();
    if (Clock::now() >= deadline) return Status::Timeout("the node did not answer");
    SleepMs(50);
  }
}

// Waits until the app runs; a node whose app was stopped on purpose fails at once.
Status AwaitApp(Invocation& inv) {
  const int timeout_ms = kAppBootTimeoutMs;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  control::Client client(inv.socket_path, timeout_ms);
  for (;;) {
    Result<json> r = client.Call("GET", "/api/node/state");
    if (!r.ok()) return r.status();
    const std::string app = (*r).value("app", "");
    if (app == "running") return Status::OK();
    if (app == "stopped") return Status::Unavailable("rabbit_is_not_running", "app_state");
    if (Clock::now() >= deadline) return Status::Timeout("the node did not finish booting");
    SleepMs(20);
  }
}

}  // namespace

CommandSpec Wait() {
  CommandSpec c;
  c.name = "wait";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Nodes";
  c.description =
      "Waits for node startup by monitoring a local PID file. See also 'warrenctl "
      "await_startup'";
  c.usage = "[<pidfile>] [--pid|-P <pid>] [--timeout <timeout>]";
  c.arg_docs = {{"<pidfile>", "PID file path"}};
  c.flags = {{"pid", 'P', true, "<pid>", "operating system PID to monitor"}};
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.errors = {{"unavailable:wait_failed", {70, false}}, {"unavailable:app_state", {69, false}}};
  c.validate = [](const Invocation& inv) -> Status {
    if (inv.has("pid")) {
      if (!inv.args.empty()) return Status::Precondition("Cannot specify both pid and pidfile");
      const std::string p = inv.flag("pid");
      int pid = 0;
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), pid);
      if (ec != std::errc() || end != p.data() + p.size() || pid <= 0)
        return Status::Precondition("Invalid options for this command:\n--pid : " + p);
      return Status::OK();
    }
    if (inv.args.empty()) return Status::Precondition("No pid or pidfile specified");
    return Status::OK();
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const int timeout_ms = inv.timeout_ms.value_or(kDefaultTimeoutMs);
    inv.timeout_ms = timeout_ms;  // so a timeout reports the limit that applied
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    pid_t pid = 0;
    if (inv.has("pid")) {
      pid = pid_t(std::stoi(inv.flag("pid")));  // validated
    } else {
      const std::string& path = inv.args[0];
      Log(inv, "Waiting for pid file '" + path + "' to appear");
      for (;;) {
        PidFile pf = ReadPidFile(path);
        if (pf.state == PidFile::kGarbage) return WaitFailed("Error: garbage in pid file.");
        if (pf.state == PidFile::kError)
          return WaitFailed("Error: could not read pid. Detail: " + pf.detail);
        // A pid file left behind by a node that is gone does not count: wait for a live one.
        if (pf.state == PidFile::kOk && ProcessAlive(pf.pid)) {
          pid = pf.pid;
          break;
        }
        if (Clock::now() >= deadline) return Status::Timeout("no pid file " + path);
        SleepMs(50);
      }
      Log(inv, "pid is " + std::to_string(pid));
    }
    Log(inv, "Waiting for node '" + inv.node + "' to answer on its control socket while OS process '" +
                 std::to_string(pid) + "' is running");
    WARREN_TRY(AwaitControlSocket(inv, pid, deadline));
    Log(inv, "Waiting for the broker application to start on node '" + inv.node + "'");
    WARREN_TRY(AwaitApp(inv));
    Log(inv, "The broker application is running on node '" + inv.node + "'");
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
