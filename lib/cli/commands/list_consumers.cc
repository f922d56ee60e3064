#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListConsumers() {
  CommandSpec c = EngineListCommand(
      "list_consumers", "Lists all consumers for a vhost", true,
      {"queue_name", "channel_pid", "consumer_tag", "ack_required", "prefetch_count", "active",
       "activity_status", "arguments"},
      {"queue_name", "channel_pid", "consumer_tag", "ack_required", "prefetch_count", "active",
       "arguments"},
      [](const Invocation& inv) { return "Listing consumers in vhost " + inv.vhost + " ..."; },
      [](const Invocation& inv) { return "/api/consumers/" + Seg(inv.vhost); });
  c.doc_guides = {"https://rabbitmq.com/consumers.html"};
  return c;
}

}  // namespace warren::cli::commands
