#include <cstdio>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {

CommandSpec TraceOn() {
  CommandSpec c;
  c.name = "trace_on";
  c.section = "Virtual hosts";
  c.description = "Enables tracing (the firehose) for a virtual host";
  c.usage = "[--vhost <vhost>]";
  c.doc_guides = {"https://rabbitmq.com/firehose.html", "https://rabbitmq.com/virtual-hosts.html"};
  c.errors = {{"not_found:vhost", {65, true}}};
  c.banner = [](const Invocation& inv) {
    return "Starting tracing for vhost \"" + inv.vhost + "\" ...";
  };
  c.run = [](Invocation& inv) {
    return Call(inv, "PUT", "/api/vhosts/" + Seg(inv.vhost) + "/tracing", json{{"tracing", true}});
  };
  c.output = [](Invocation& inv, const json&) {
    std::printf("Trace enabled for vhost %s\n", inv.vhost.c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
