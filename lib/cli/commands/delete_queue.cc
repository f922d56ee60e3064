#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec DeleteQueue() {
  CommandSpec c;
  c.name = "delete_queue";
  c.section = "Queues";
  c.description = "Deletes a queue";
  c.usage = "[--vhost <vhost>] <queue_name> [--if-empty|-e] [--if-unused|-u]";
  c.arg_docs = {{"<queue_name>", "name of the queue to delete"}};
  c.flags = {{"if-empty", 'e', false, "", "delete the queue if it is empty (has no messages ready for delivery)"},
             {"if-unused", 'u', false, "", "delete the queue only if it has no consumers"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/queues.html"};
  // rabbitmqctl exits 64 for a missing queue as for a failed condition (queues.txt).
  c.errors = {{"not_found:queue", {64}}};
  c.banner = [](const Invocation& inv) {
    std::string cond;
    if (inv.has("if-empty")) cond = "if queue is empty ";
    if (inv.has("if-unused")) cond += (cond.empty() ? "" : "and ") + std::string("if queue is unused ");
    return "Deleting queue '" + inv.args[0] + "' on vhost '" + inv.vhost + "' " + cond + "...";
  };
  c.run = [](Invocation& inv) {
    std::map<std::string, std::string> query;
    if (inv.has("if-empty")) query["if-empty"] = "true";
    if (inv.has("if-unused")) query["if-unused"] = "true";
    return Call(inv, "DELETE", "/api/queues/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]), nullptr,
                query);
  };
  c.output = [](Invocation& inv, const json& result) {
    if (!inv.silent)
      std::printf("Queue was successfully deleted with %s ready messages\n",
                  result.value("messages", json(0)).dump().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
