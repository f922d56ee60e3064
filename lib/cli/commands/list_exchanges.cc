#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListExchanges() {
  CommandSpec c = EngineListCommand(
      "list_exchanges", "Lists exchanges", true,
      {"name", "type", "durable", "auto_delete", "internal", "arguments", "policy"},
      {"name", "type"},
      [](const Invocation& inv) { return "Listing exchanges for vhost " + inv.vhost + " ..."; },
      [](const Invocation& inv) { return "/api/exchanges/" + Seg(inv.vhost); });
  c.doc_guides = {"https://rabbitmq.com/tutorials/amqp-concepts.html#exchanges"};
  return c;
}

}  // namespace warren::cli::commands
