#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec DeleteExchange() {
  CommandSpec c;
  c.name = "delete_exchange";
  c.section = "Queues";
  c.description = "Deletes an exchange (warren extension)";
  c.usage = "[--vhost <vhost>] <exchange> [--if-unused]";
  c.arg_docs = {{"<exchange>", "name of the exchange to delete"}};
  c.flags = {{"if-unused", 'u', false, "", "delete the exchange only if it has no bindings"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/tutorials/amqp-concepts.html#exchanges"};
  c.banner = [](const Invocation& inv) {
    return "Deleting exchange '" + inv.args[0] + "' in " + InVhost(inv) + " ...";
  };
  c.run = [](Invocation& inv) {
    std::map<std::string, std::string> query;
    if (inv.has("if-unused")) query["if-unused"] = "true";
    return Call(inv, "DELETE", "/api/exchanges/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]),
                nullptr, query);
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
