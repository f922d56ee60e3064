#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {

CommandSpec Stop() {
  CommandSpec c;
  c.name = "stop";
  c.section = "Nodes";
  c.description =
      "Stops the node and its process. Waits for the process to exit; with a pid file argument, "
      "waits on the pid it names";
  c.usage = "[--idempotent] [<pidfile>]";
  c.arg_docs = {{"<pidfile>", "node PID file path to monitor. To avoid using a PID file, use "
                              "'warrenctl shutdown'"}};
  c.flags = {{"idempotent", 0, false, "", "return success if the target node is not running"}};
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.banner = [](const Invocation& inv) { return "Stopping and halting node " + inv.node + " ..."; };
  c.run = [](Invocation& inv) -> Result<json> {
    Result<json> r = Call(inv, "POST", "/api/node/stop");
    if (!r.ok()) {
      if (inv.has("idempotent") && r.status().subject() == control::kSubjectNodeDown) {
        std::printf("Node %s is no longer running\n", inv.node.c_str());
        return json(nullptr);
      }
      return r.status();
    }
    pid_t pid = (*r).value("pid", 0);
    WaitForExit(pid, inv.timeout_ms.value_or(-1));
    return json(nullptr);
  };
  return c;
}

}  // namespace warren::cli::commands
