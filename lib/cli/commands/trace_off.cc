#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec TraceOff() {
  CommandSpec c;
  c.name = "trace_off";
  c.section = "Virtual hosts";
  c.description = "Disables tracing (the firehose) for a virtual host";
  c.usage = "[--vhost <vhost>]";
  c.doc_guides = {"https://rabbitmq.com/firehose.html", "https://rabbitmq.com/virtual-hosts.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Stopping tracing for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "PUT", "/api/vhosts/" + Seg(inv.vhost) + "/tracing", json{{"tracing", false}});
  };
  c.output = [](Invocation& inv, const json&) {
    std::printf("Trace disabled for vhost %s\n", inv.vhost.c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
