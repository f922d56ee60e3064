#include <cstdio>
#include <iostream>
#include <iterator>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec Publish() {
  CommandSpec c;
  c.name = "publish";
  c.section = "Queues";
  c.description = "Publishes a message to an exchange (warren extension)";
  c.usage =
      "[--vhost <vhost>] [--exchange <exchange>] [--routing-key <key>] "
      "[--properties <json>] <payload>";
  c.arg_docs = {{"<payload>", "message body; - reads it from standard input"}};
  c.flags = {{"exchange", 0, true, "<exchange>", "exchange to publish to (default: the default exchange)"},
             {"routing-key", 0, true, "<key>", "routing key of the message"},
             {"properties", 0, true, "<json>",
              "basic properties as a JSON object: content_type, delivery_mode, headers, ..."}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/publishers.html"};
  c.banner = [](const Invocation& inv) {
    return "Publishing a message to exchange '" + inv.flag("exchange") + "' with routing key '" +
           inv.flag("routing-key") + "' in " + InVhost(inv) + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json props, JsonFlag(inv, "properties"));
    std::string payload = inv.args[0];
    if (payload == "-")
      payload.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    const std::string exchange = inv.flag("exchange");
    return Call(inv, "POST",
                "/api/exchanges/" + Seg(inv.vhost) + "/" +
                    Seg(exchange.empty() ? "amq.default" : exchange) + "/publish",
                {{"routing_key", inv.flag("routing-key")},
                 {"properties", props},
                 {"payload", payload}});
  };
  c.output = [](Invocation& inv, const json& result) {
    const size_t routed = result.value("routed", size_t(0));
    if (!inv.silent)
      std::printf(routed == 0 ? "Message published but not routed\n"
                              : "Message routed to %zu queue(s)\n",
                  routed);
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
