#include <algorithm>
#include <map>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {
namespace {

// The aliases rabbitmq-diagnostics accepts for each protocol name.
std::string NormalizeProtocol(std::string p) {
  for (char& ch : p) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  static const std::map<std::string, std::string> kAliases = {
      {"amqp091", "amqp"},         {"amqp0.9.1", "amqp"},      {"amqp0-9-1", "amqp"},
      {"amqp0_9_1", "amqp"},       {"amqp10", "amqp"},         {"amqp1.0", "amqp"},
      {"amqp1-0", "amqp"},         {"amqp1_0", "amqp"},        {"amqps", "amqp/ssl"},
      {"mqtt3.1", "mqtt"},         {"mqtt3.1.1", "mqtt"},      {"mqtt31", "mqtt"},
      {"mqtt311", "mqtt"},         {"mqtt3_1", "mqtt"},        {"mqtt3_1_1", "mqtt"},
      {"mqtts", "mqtt/ssl"},       {"mqtt+tls", "mqtt/ssl"},   {"mqtt+ssl", "mqtt/ssl"},
      {"stomp1.0", "stomp"},       {"stomp1.1", "stomp"},      {"stomp1.2", "stomp"},
      {"stomp10", "stomp"},        {"stomp11", "stomp"},       {"stomp12", "stomp"},
      {"stomp1_0", "stomp"},       {"stomp1_1", "stomp"},      {"stomp1_2", "stomp"},
      {"stomps", "stomp/ssl"},     {"stomp+tls", "stomp/ssl"}, {"stomp+ssl", "stomp/ssl"},
      {"http1", "http"},           {"http1.1", "http"},        {"http_api", "http"},
      {"management", "http"},      {"management_ui", "http"},  {"ui", "http"},
      {"cli", "clustering"},       {"distribution", "clustering"},
      {"prometheus", "http/prometheus"},
      {"webmqtt", "http/web-mqtt"},   {"web-mqtt", "http/web-mqtt"},
      {"web_mqtt", "http/web-mqtt"},  {"webstomp", "http/web-stomp"},
      {"web-stomp", "http/web-stomp"}, {"web_stomp", "http/web-stomp"},
  };
  auto it = kAliases.find(p);
  return it == kAliases.end() ? p : it->second;
}

}  // namespace

CommandSpec CheckProtocolListener() {
  CommandSpec c;
  c.name = "check_protocol_listener";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description =
      "Health check that exits with a non-zero code if target node does not have an active "
      "listener for given protocol";
  c.usage = "<protocol> [--timeout <timeout>]";
  c.arg_docs = {{"<protocol>", "amqp, amqp/ssl, clustering, http, http/prometheus, mqtt, "
                               "stomp, ... (aliases such as amqp091 or management are accepted)"}};
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  c.min_args = 1;
  c.max_args = 1;
  c.banner = [](const Invocation& inv) {
    return "Asking node " + inv.node + " if there's an active listener for protocol " +
           inv.args[0] + " ...";
  };
  // The json report of a failed check goes to stderr on its own.
  c.errors = {{"unavailable:check_failed_json", {69, true}}};
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json listeners, Call(inv, "GET", "/api/node/listeners"));
    const std::string proto = NormalizeProtocol(inv.args[0]);
    std::vector<std::string> protocols;
    for (const auto& l : listeners) {
      if (l.value("protocol", "") == proto) return json{{"protocol", proto}};
      protocols.push_back(l.value("protocol", ""));
    }
    if (inv.formatter == "json") {
      const json report = {{"listeners", listeners},
                           {"missing", proto},
                           {"protocols", protocols},
                           {"result", "error"}};
      return Status::Unavailable(report.dump(), "check_failed_json");
    }
    std::sort(protocols.begin(), protocols.end());
    std::string list;
    for (const auto& p : protocols) list += (list.empty() ? "" : ", ") + p;
    // Printed as "Error:\n<message>" (shared/reference/rabbitmq-3.10.8/diagnostics.txt).
    return Status::Unavailable("No listener for protocol " + proto + " is active on node " +
                                   inv.node + ". Found listeners for the following protocols: " +
                                   list,
                               "check_failed");
  };
  c.output = [](Invocation& inv, const json& found) {
    const std::string proto = found.value("protocol", "");
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"node", inv.node}, {"protocol", proto}, {"result", "ok"}});
    } else {
      std::printf("A listener for protocol %s is running on node %s.\n", proto.c_str(),
                  inv.node.c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
