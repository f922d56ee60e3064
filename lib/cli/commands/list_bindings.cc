#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListBindings() {
  std::vector<std::string> cols = {"source_name",      "source_kind", "destination_name",
                                   "destination_kind", "routing_key", "arguments"};
  CommandSpec c = EngineListCommand(
      "list_bindings", "Lists all bindings on a vhost", true, cols, cols,
      // No space before the dots (queues.txt).
      [](const Invocation& inv) { return "Listing bindings for vhost " + inv.vhost + "..."; },
      [](const Invocation& inv) { return "/api/bindings/" + Seg(inv.vhost); });
  c.doc_guides = {"https://rabbitmq.com/tutorials/amqp-concepts.html#bindings"};
  return c;
}

}  // namespace warren::cli::commands
