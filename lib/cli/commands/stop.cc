#include <chrono>
#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {
namespace {

// How long `stop <pidfile>` waits for a pid file that is not there (yet) when no
// --timeout is given: rabbitmqctl waits forever, which helps nobody.
constexpr int kPidFileWaitMs = 10'000;

}  // namespace

CommandSpec Stop() {
  CommandSpec c;
  c.name = "stop";
  c.section = "Nodes";
  c.description =
      "Stops the node and its process. Requires a local node pid file path to monitor progress.";
  c.usage = "[--idempotent] [<pidfile>]";
  c.arg_docs = {{"<pidfile>", "node PID file path to monitor. To avoid using a PID file, use "
                              "'warrenctl shutdown'"}};
  c.flags = {{"idempotent", 0, false, "", "return success if target node is not running (cannot be contacted)"}};
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.errors = {{"unavailable:pid_file", {69, false}}};
  c.banner = [](const Invocation& inv) {
    if (!inv.args.empty())
      return "Stopping and halting node " + inv.node + " (will monitor pid file " + inv.args[0] +
             ") ...";
    return "Stopping and halting node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    if (!inv.args.empty()) {
      // As rabbitmqctl: read the pid first, ask the node to stop (a node already gone
      // is fine), then watch the pid (shared/reference/rabbitmq-3.10.8/lifecycle.txt).
      const std::string& path = inv.args[0];
      const int wait_ms = inv.timeout_ms.value_or(kPidFileWaitMs);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
      PidFile pf = ReadPidFile(path);
      while (pf.state == PidFile::kMissing && std::chrono::steady_clock::now() < deadline) {
        SleepMs(100);
        pf = ReadPidFile(path);
      }
      Result<json> r = Call(inv, "POST", "/api/node/stop");
      if (!r.ok() && r.status().subject() != control::kSubjectNodeDown) return r.status();
      switch (pf.state) {
        case PidFile::kOk:
          break;
        case PidFile::kGarbage:
          return Status::Unavailable(
              "could not read pid from file " + path + ". File contents: " + pf.detail, "pid_file");
        case PidFile::kMissing:
        case PidFile::kError:
          return Status::Unavailable(
              "could not read pid from file " + path + ". Error: " + pf.detail, "pid_file");
      }
      if (!WaitForExit(pf.pid, inv.timeout_ms.value_or(-1)))
        return Status::Timeout("process " + std::to_string(pf.pid) + " is still running");
      std::printf("process %d (take from pid file %s) is no longer running\n", int(pf.pid),
                  path.c_str());
      return json(nullptr);
    }
    Result<json> r = Call(inv, "POST", "/api/node/stop");
    if (!r.ok()) {
      if (inv.has("idempotent") && r.status().subject() == control::kSubjectNodeDown) {
        std::printf("Node %s is no longer running\n", inv.node.c_str());
        return json(nullptr);
      }
      return r.status();
    }
    pid_t pid = (*r).value("pid", 0);
    if (!WaitForExit(pid, inv.timeout_ms.value_or(-1)))
      return Status::Timeout("process " + std::to_string(pid) + " is still running");
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
