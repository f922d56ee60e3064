#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListQueues() {
  // Every info item RabbitMQ lists that warren fills truthfully (docs/queues.md).
  CommandSpec c = EngineListCommand(
      "list_queues", "Lists queues and their properties", true,
      {"name", "durable", "auto_delete", "arguments", "policy", "pid", "owner_pid", "exclusive",
       "exclusive_consumer_pid", "exclusive_consumer_tag", "messages_ready",
       "messages_unacknowledged", "messages", "messages_ready_ram",
       "messages_unacknowledged_ram", "messages_ram", "messages_persistent", "message_bytes",
       "message_bytes_ready", "message_bytes_unacknowledged", "message_bytes_ram",
       "message_bytes_persistent", "head_message_timestamp", "consumers", "slave_pids", "synchronised_slave_pids", "state", "type", "leader",
       "members", "online"},
      {"name", "messages"},
      [](const Invocation& inv) {
        // "Timeout: 60.0 seconds ..." comes first (queues.txt).
        char timeout[32];
        std::snprintf(timeout, sizeof(timeout), "%.1f", inv.timeout_ms.value_or(60000) / 1000.0);
        return std::string("Timeout: ") + timeout + " seconds ...\nListing queues for vhost " +
               inv.vhost + " ...";
      },
      [](const Invocation& inv) {
        return "/api/queues/" + Seg(inv.vhost) + (inv.has("offline") ? "?offline=true" : "");
      });
  c.usage =
      "[--vhost <vhost>] [--online] [--offline] [--local] [--no-table-headers] [<column>, ...] "
      "[--timeout <timeout>]";
  c.flags = {{"online", 0, false, "", "lists only queues on online (reachable) nodes"},
             {"offline", 0, false, "", "lists only queues on offline (unreachable) nodes"},
             {"local", 0, false, "", "only return queues hosted on the target node"}};
  c.doc_guides = {"https://rabbitmq.com/queues.html"};
  return c;
}

}  // namespace warren::cli::commands
