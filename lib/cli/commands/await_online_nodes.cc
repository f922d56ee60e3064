#include <chrono>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {

CommandSpec AwaitOnlineNodes() {
  CommandSpec c;
  c.name = "await_online_nodes";
  c.section = "Cluster";
  c.description = "Waits for <count> nodes to join the cluster";
  c.usage = "<count>";
  c.arg_docs = {{"<count>", "how many cluster members must be up in order for this command to exit. When <count> is 1, always exits immediately."}};
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/clustering.html"};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string& n = inv.args[0];
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(n) < 1)
      return Status::BadInput("Bad argument: the node count must be a positive integer.");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    const int timeout_s = inv.timeout_ms ? int(*inv.timeout_ms / 1000) : 300;
    return "Will wait for at least " + inv.args[0] + " nodes to join the cluster of " + inv.node +
           ". Timeout: " + std::to_string(timeout_s) + " seconds.";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const size_t want = size_t(std::stoi(inv.args[0]));
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(inv.timeout_ms.value_or(300'000));
    for (;;) {
      WARREN_ASSIGN_OR_RETURN(json s, Call(inv, "GET", "/api/node/cluster-status"));
      if (s.value("running_nodes", json::array()).size() >= want) return json(nullptr);
      if (std::chrono::steady_clock::now() >= deadline)
        return Status::Timeout("fewer than " + inv.args[0] + " nodes are online");
      SleepMs(100);
    }
  };
  return c;
}

}  // namespace warren::cli::commands
