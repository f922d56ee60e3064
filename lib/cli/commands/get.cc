#include <charconv>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec Get() {
  CommandSpec c;
  c.name = "get";
  c.section = "Queues";
  c.description = "Gets messages from a queue (warren extension)";
  c.usage = "[--vhost <vhost>] <queue> [--count <count>] [--ack-mode <ack|requeue>]";
  c.arg_docs = {{"<queue>", "name of the queue to get messages from"}};
  c.flags = {{"count", 0, true, "<count>", "how many messages to get at most (default: 1)", "1"},
             {"ack-mode", 0, true, "<ack|requeue>",
              "ack removes the messages; requeue puts them back (default: ack)", "ack"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.columns = {"payload",     "payload_bytes", "redelivered", "exchange",
               "routing_key", "message_count", "properties"};
  c.default_columns = c.columns;
  c.doc_guides = {"https://rabbitmq.com/consumers.html"};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string count = inv.flag("count", "1"), mode = inv.flag("ack-mode", "ack");
    unsigned long v = 0;
    auto [p, ec] = std::from_chars(count.data(), count.data() + count.size(), v);
    if (count.empty() || ec != std::errc() || p != count.data() + count.size())
      return Status::Precondition("--count must be a non-negative integer");
    if (mode != "ack" && mode != "requeue")
      return Status::Precondition("--ack-mode must be ack or requeue");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return "Getting up to " + inv.flag("count", "1") + " messages from queue '" + inv.args[0] +
           "' in " + InVhost(inv) + " ...";
  };
  c.banner_on_error = false;
  c.run = [](Invocation& inv) {
    return Call(inv, "POST", "/api/queues/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]) + "/get",
                {{"count", std::stoull(inv.flag("count", "1"))},
                 {"ackmode", inv.flag("ack-mode", "ack")}});
  };
  c.output = [](Invocation& inv, const json& rows) {
    if (inv.formatter == "json") return PrintRows(inv, rows);
    // Properties show as JSON text in tables.
    json shown = rows;
    for (auto& row : shown) row["properties"] = row["properties"].dump();
    return PrintRows(inv, shown);
  };
  return c;
}

}  // namespace warren::cli::commands
