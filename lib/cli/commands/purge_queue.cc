#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec PurgeQueue() {
  CommandSpec c;
  c.name = "purge_queue";
  c.section = "Queues";
  c.description = "Purges a queue (removes all messages in it)";
  c.usage = "[--vhost <vhost>] <queue>";
  c.arg_docs = {{"<queue>", "Name of the queue to purge"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/queues.html"};
  c.banner = [](const Invocation& inv) {
    return "Purging queue '" + inv.args[0] + "' in " + InVhost(inv) + " ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "DELETE", "/api/queues/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]) + "/contents");
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
