#include <chrono>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_wait.h"

namespace warren::cli::commands {

CommandSpec AwaitStartup() {
  CommandSpec c;
  c.name = "await_startup";
  c.section = "Nodes";
  c.description = "Waits for the broker application to start on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/rabbitmqctl.8.html"};
  c.errors = {{"unavailable:app_state", {69, false}}};
  c.run = [](Invocation& inv) -> Result<json> {
    // Waits for the control socket to appear (a node still starting) and for the app to
    // be running; a node whose app was stopped on purpose is reported at once.
    const int timeout_ms = inv.timeout_ms.value_or(300'000);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    control::Client client = inv.NewClient(timeout_ms);
    for (;;) {
      Result<json> r = client.Call("GET", "/api/node/state");
      if (r.ok()) {
        std::string app = (*r).value("app", "");
        if (app == "running") return json(nullptr);
        if (app == "stopped") return Status::Unavailable("rabbit_is_not_running", "app_state");
      } else if (r.status().subject() != control::kSubjectNodeDown) {
        return r.status();
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return r.ok() ? Status::Timeout("the node did not finish booting") : r.status();
      }
      SleepMs(10);
    }
  };
  return c;
}

}  // namespace warren::cli::commands
