#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec DeclareExchange() {
  CommandSpec c;
  c.name = "declare_exchange";
  c.section = "Queues";
  c.description = "Declares an exchange (warren extension)";
  c.usage =
      "[--vhost <vhost>] <exchange> <type> [--durable] [--auto-delete] [--internal] "
      "[--arguments <json>]";
  c.arg_docs = {{"<exchange>", "name of the exchange to declare"},
                {"<type>", "direct, fanout, topic or headers"}};
  c.flags = {{"durable", 0, false, "", "the exchange survives a node restart"},
             {"auto-delete", 0, false, "", "the exchange is deleted when its last binding goes"},
             {"internal", 0, false, "", "clients cannot publish to the exchange directly"},
             {"arguments", 0, true, "<json>", "optional arguments as a JSON object"}};
  c.min_args = 2;
  c.max_args = 2;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/tutorials/amqp-concepts.html#exchanges"};
  c.banner = [](const Invocation& inv) {
    return "Declaring exchange '" + inv.args[0] + "' of type '" + inv.args[1] + "' in " +
           InVhost(inv) + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json args, JsonFlag(inv, "arguments"));
    return Call(inv, "PUT", "/api/exchanges/" + Seg(inv.vhost) + "/" + Seg(inv.args[0]),
                {{"type", inv.args[1]},
                 {"durable", inv.has("durable")},
                 {"auto_delete", inv.has("auto-delete")},
                 {"internal", inv.has("internal")},
                 {"arguments", args}});
  };
  c.output = PrintNothing;
  return c;
}

}  // namespace warren::cli::commands
