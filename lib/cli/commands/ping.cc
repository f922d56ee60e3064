#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {
namespace {

constexpr int kDefaultTimeoutMs = 60'000;

int TimeoutMs(const Invocation& inv) { return inv.timeout_ms.value_or(kDefaultTimeoutMs); }

}  // namespace

CommandSpec Ping() {
  CommandSpec c;
  c.name = "ping";
  c.scopes = kCtl | kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.description =
      "Checks that the node OS process is up and CLI tools can reach it through its control "
      "socket";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.banner = [](const Invocation& inv) {
    // rabbitmq-diagnostics' words (shared/reference/rabbitmq-3.10.8/lifecycle.txt); the
    // control socket plays epmd's part.
    const std::string what = RabbitCompat(inv) ? "registered with epmd"
                                               : "answering on its control socket";
    return "Will ping " + inv.node + ". This only checks if the OS process is running and " +
           what + ". Timeout: " + std::to_string(TimeoutMs(inv)) + " ms.";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    control::Client client = inv.NewClient(TimeoutMs(inv));
    Result<json> r = client.Call("GET", "/api/node/state");
    if (!r.ok()) {
      return Status::Unavailable("Failed to connect and authenticate to " + inv.node + " in " +
                                     std::to_string(TimeoutMs(inv)) + " ms",
                                 "ping");
    }
    return r;
  };
  c.output = [](Invocation& inv, const json&) { return PrintMessage(inv, "Ping succeeded"); };
  return c;
}

}  // namespace warren::cli::commands
