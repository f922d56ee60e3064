#include <cstdio>
#include <charconv>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

namespace {

bool IsCount(const std::string& s) {
  unsigned long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

CommandSpec CloseAllConnections() {
  CommandSpec c;
  c.name = "close_all_connections";
  c.section = "Operations";
  c.description =
      "Instructs the broker to close all connections for the specified vhost or entire "
      "RabbitMQ node";
  c.usage =
      "[-p <vhost> --limit <limit>] [-n <node> --global] [--per-connection-delay <delay>] "
      "<explanation>";
  c.arg_docs = {{"<explanation>", "reason for connection closure"}};
  c.flags = {{"global", 0, false, "", "close connections on all vhosts"},
             {"limit", 0, true, "<limit>", "close up to this many connections (0: all)"},
             {"per-connection-delay", 0, true, "<delay>",
              "milliseconds to wait between closing two connections"}};
  c.min_args = 1;
  c.max_args = 1;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/connections.html"};
  c.validate = [](const Invocation& inv) -> Status {
    for (const char* f : {"limit", "per-connection-delay"})
      if (inv.has(f) && !IsCount(inv.flag(f)))
        return Status::Precondition(std::string("--") + f + " must be a non-negative integer");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    const std::string reason = ", reason: " + inv.args[0] + "...";
    if (inv.has("global"))
      return "Closing all connections to node " + inv.node + " (across all vhosts)" + reason;
    const std::string limit = inv.flag("limit", "0");
    return (limit == "0" ? std::string("Closing all connections") : "Closing " + limit + " connections") +
           " in vhost " + inv.vhost + reason;
  };
  c.run = [](Invocation& inv) {
    json body = {{"reason", inv.args[0]}};
    if (!inv.has("global")) body["vhost"] = inv.vhost;
    if (inv.has("limit")) body["limit"] = std::stoull(inv.flag("limit"));
    if (inv.has("per-connection-delay"))
      body["per_connection_delay"] = std::stoull(inv.flag("per-connection-delay"));
    return Call(inv, "POST", "/api/connections/close", body);
  };
  c.output = [](Invocation& inv, const json& result) {
    if (!inv.silent)
      std::printf("Closed %s connections\n", result.value("closed", json(0)).dump().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
