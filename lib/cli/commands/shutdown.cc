#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {

CommandSpec Shutdown() {
  CommandSpec c;
  c.name = "shutdown";
  c.section = "Nodes";
  c.description =
      "Stops the node and its process. Monitors progress for local nodes. Does not require a PID "
      "file path.";
  c.usage = "[--wait] [--timeout <timeout>]";
  c.flags = {{"wait", 0, false, "",
              "if set, will wait for target node to terminate (by monitoring its OS process). "
              "The default."},
             {"no-wait", 0, false, "", "if set, will not wait for target node to terminate"}};
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.run = [](Invocation& inv) -> Result<json> {
    if (inv.has("no-wait")) {
      WARREN_TRY(Call(inv, "POST", "/api/node/stop").status());
      return json(nullptr);
    }
    // Control sockets are local, so the node's pid can always be watched.
    WARREN_ASSIGN_OR_RETURN(json state, Call(inv, "GET", "/api/node/state"));
    const pid_t pid = state.value("pid", 0);
    const std::string who = ProductName(inv) + " node " + inv.node;
    std::printf("Shutting down %s running at PID %d\n", who.c_str(), int(pid));
    std::fflush(stdout);
    WARREN_TRY(Call(inv, "POST", "/api/node/stop").status());
    std::printf("Waiting for PID %d to terminate\n", int(pid));
    std::fflush(stdout);
    if (!WaitForExit(pid, inv.timeout_ms.value_or(-1)))
      return Status::Timeout("process " + std::to_string(pid) + " is still running");
    std::printf("%s running at PID %d successfully shut down\n", who.c_str(), int(pid));
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
