#include <cstdio>
#include <map>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {
namespace {

std::string QueuesPath(const Invocation& inv) { return "/api/queues/" + Seg(inv.vhost); }

}  // namespace

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
      QueuesPath);
  c.run = [](Invocation& inv) -> Result<json> {
    // The node waits on the other members for part of the timeout (60 s by default, as
    // the banner says), so that one silent member leaves time to answer.
    std::map<std::string, std::string> query{
        {"timeout", std::to_string(inv.timeout_ms.value_or(60000))}};
    for (const char* flag : {"local", "online", "offline"})
      if (inv.has(flag)) query[flag] = "true";
    return Call(inv, "GET", QueuesPath(inv), nullptr, query);
  };
  // A queue of a member that is down has only what the metadata knows; RabbitMQ prints
  // its other info items as '' (rabbit_queue_type:i_down), in tables and in JSON.
  c.output = [](Invocation& inv, const json& rows) {
    json filled = rows;
    for (auto& row : filled)
      for (const auto& column : inv.spec->columns)
        if (!row.contains(column)) row[column] = "";
    return EngineRowsOutput(inv, filled);
  };
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
