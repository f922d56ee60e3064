#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec DeclareQueue() {
  CommandSpec c;
  c.name = "declare_queue";
  c.section = "Queues";
  c.description = "Declares a queue (warren extension)";
  c.usage = "[--vhost <vhost>] <queue> [--durable] [--auto-delete] [--arguments <json>]";
  c.arg_docs = {{"<queue>", "name of the queue to declare"}};
  c.flags = {{"durable", 0, false, "", "the queue survives a node restart"},
             {"auto-delete", 0, false, "", "the queue is deleted when its last consumer goes"},
             {"arguments", 0, true, "<json>", "optional x-arguments as a JSON object"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/queues.html"};
  c.banner = [](const Invocation& inv) {
    return "Declaring queue '" + inv.args[0] + "' in " + InVhost(inv) + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json args, JsonFlag(inv, "arguments"));
    return Call(inv, "PUT", "/api/queues/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]),
                {{"durable", inv.has("durable")},
                 {"auto_delete", inv.has("auto-delete")},
                 {"arguments", args}});
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
