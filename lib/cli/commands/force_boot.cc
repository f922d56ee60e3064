#include "base/node_env.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

// As rabbitmqctl's: the node's app must not be running; a node that is down gets the
// mark written into its data directory directly. Prints nothing.
CommandSpec ForceBoot() {
  CommandSpec c;
  c.name = "force_boot";
  c.section = "Cluster";
  c.description =
      "Forces node to start even if it cannot contact or rejoin any of its previously known peers";
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.run = [](Invocation& inv) {
    return OrLeaveForNextBoot(inv, Call(inv, "POST", "/api/node/force-boot", json::object()),
                              &ForceBootFile, "");
  };
  c.output = [](Invocation&, const json&) { return 0; };
  return c;
}

}  // namespace warren::cli::commands
