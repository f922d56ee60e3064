#include "cli/commands/engine_common.h"

#include <algorithm>
#include <charconv>

#include "cli/commands/common.h"
#include "cli/commands/json_args.h"

namespace warren::cli {
namespace {

// rabbitmqctl's table text of a field table: [{"name",value},...], strings quoted.
std::string TermText(const json& v) {
  if (v.is_string()) return v.dump();
  if (v.is_object() || v.is_array()) {
    std::string out = "[";
    bool first = true;
    if (v.is_object()) {
      for (const auto& [k, e] : v.items()) {
        out += (first ? "{" : ",{") + json(k).dump() + "," + TermText(e) + "}";
        first = false;
      }
    } else {
      for (const auto& e : v) {
        out += (first ? "" : ",") + TermText(e);
        first = false;
      }
    }
    return out + "]";
  }
  return v.dump();
}

// "127.0.0.1" -> [127,0,0,1], as the JSON formatter shows Erlang IP tuples.
json Octets(const json& host) {
  if (!host.is_string()) return host;
  const std::string s = host.get<std::string>();
  json out = json::array();
  const char* p = s.data();
  const char* end = s.data() + s.size();
  while (p < end) {
    int octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc() || octet > 255 || (next != end && *next != '.')) return host;
    out.push_back(octet);
    p = next == end ? end : next + 1;
  }
  return out.size() == 4 ? out : host;
}

}  // namespace

int EngineRowsOutput(Invocation& inv, const json& rows) {
  json shown = rows;
  for (auto& row : shown) {
    if (inv.formatter == "json") {
      for (const char* k : {"peer_host", "host"})
        if (row.contains(k)) row[k] = Octets(row[k]);
      continue;
    }
    for (const char* k : {"arguments", "client_properties"})
      if (row.contains(k)) row[k] = TermText(row[k]);
  }
  return PrintRows(inv, shown);
}

CommandSpec EngineListCommand(std::string name, std::string description, bool uses_vhost,
                              std::vector<std::string> columns,
                              std::vector<std::string> default_columns,
                              std::function<std::string(const Invocation&)> banner,
                              std::function<std::string(const Invocation&)> path) {
  CommandSpec c;
  c.name = std::move(name);
  c.section = "Monitoring, observability and health checks";
  c.description = std::move(description);
  c.usage = std::string(uses_vhost ? "[--vhost <vhost>] " : "") +
            "[--no-table-headers] [<column> ...] [--timeout <timeout>]";
  std::string keys;
  std::vector<std::string> sorted = columns;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& k : sorted) keys += (keys.empty() ? "" : ", ") + k;
  c.arg_docs = {{"<column>", "must be one of " + keys}};
  c.uses_vhost = uses_vhost;
  c.banner_on_error = false;
  c.columns = std::move(columns);
  c.column_args = true;
  c.default_columns = std::move(default_columns);
  c.banner = std::move(banner);
  c.run = [path = std::move(path)](Invocation& inv) { return Call(inv, "GET", path(inv)); };
  c.output = EngineRowsOutput;
  return c;
}

CommandSpec BindingCommand(bool unbind) {
  CommandSpec c;
  c.name = unbind ? "unbind" : "bind";
  c.section = "Queues";
  c.description = unbind ? "Removes a binding (warren extension)"
                         : "Binds a queue or an exchange to an exchange (warren extension)";
  c.usage =
      "[--vhost <vhost>] <source> <destination> [--destination-type <queue|exchange>] "
      "[--routing-key <key>] [--arguments <json>]";
  c.arg_docs = {{"<source>", "exchange the binding routes from"},
                {"<destination>", "queue (or exchange) the binding routes to"}};
  c.flags = {{"destination-type", 0, true, "<queue|exchange>",
              "what the destination is (default: queue)", "queue"},
             {"routing-key", 0, true, "<key>", "routing key (binding key) of the binding"},
             {"arguments", 0, true, "<json>", "binding arguments as a JSON object"}};
  c.min_args = 2;
  c.max_args = 2;
  c.uses_vhost = true;
  c.doc_guides = {"https://rabbitmq.com/tutorials/amqp-concepts.html#bindings"};
  c.validate = [](const Invocation& inv) -> Status {
    const std::string type = inv.flag("destination-type", "queue");
    if (type != "queue" && type != "exchange")
      return Status::Precondition("--destination-type must be queue or exchange");
    return Status::OK();
  };
  c.banner = [unbind](const Invocation& inv) {
    return std::string(unbind ? "Unbinding" : "Binding") + " exchange '" + inv.args[0] + "' " +
           (unbind ? "from " : "to ") + inv.flag("destination-type", "queue") + " '" +
           inv.args[1] + "' with routing key '" + inv.flag("routing-key") + "' in " +
           InVhost(inv) + " ...";
  };
  c.run = [unbind](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json args, JsonFlag(inv, "arguments"));
    return Call(inv, "POST", "/api/bindings/" + Seg(inv.vhost) + (unbind ? "/unbind" : ""),
                {{"source", inv.args[0]},
                 {"destination", inv.args[1]},
                 {"destination_type", inv.flag("destination-type", "queue")},
                 {"routing_key", inv.flag("routing-key")},
                 {"arguments", args}});
  };
  c.output = PrintNothing;
  return c;
}

std::string InVhost(const Invocation& inv) { return "vhost '" + inv.vhost + "'"; }

Result<json> JsonFlag(const Invocation& inv, const std::string& flag) {
  if (!inv.has(flag)) return json(nullptr);
  return ParseJsonArg(inv.flag(flag));
}

}  // namespace warren::cli
