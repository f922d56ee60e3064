#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListUnresponsiveQueues() {
  CommandSpec c = EngineListCommand(
      "list_unresponsive_queues",
      "Tests queues to respond within timeout. Lists those which did not respond", true,
      {"name", "durable", "auto_delete", "arguments", "pid"}, {"name"},
      [](const Invocation& inv) {
        return "Listing unresponsive queues for vhost " + inv.vhost + " ...";
      },
      [](const Invocation& inv) { return "/api/queues/" + Seg(inv.vhost) + "/unresponsive"; });
  c.usage = "[--local] [--queue-timeout <milliseconds>] [<column> ...] [--no-table-headers]";
  c.flags = {{"local", 0, false, "", "only return queues hosted on the target node"},
             {"queue-timeout", 0, true, "<milliseconds>",
              "per-queue timeout to use when checking for responsiveness"}};
  c.doc_guides = {"https://rabbitmq.com/queues.html"};
  return c;
}

}  // namespace warren::cli::commands
