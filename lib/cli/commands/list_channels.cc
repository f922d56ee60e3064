#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListChannels() {
  CommandSpec c = EngineListCommand(
      "list_channels", "Lists all channels in the node", false,
      {"pid", "connection", "name", "number", "user", "vhost", "transactional", "confirm",
       "consumer_count", "messages_unacknowledged", "messages_uncommitted", "acks_uncommitted",
       "messages_unconfirmed", "prefetch_count", "global_prefetch_count"},
      {"pid", "user", "consumer_count", "messages_unacknowledged"},
      [](const Invocation&) { return std::string("Listing channels ..."); },
      [](const Invocation&) { return std::string("/api/channels"); });
  c.doc_guides = {"https://rabbitmq.com/channels.html"};
  return c;
}

}  // namespace warren::cli::commands
