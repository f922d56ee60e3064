#include <string>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {
namespace {

// "a, b,,c" -> [a, b, c]
std::vector<std::string> ParseTags(const std::string& text) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string t = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    t.erase(0, t.find_first_not_of(" \t"));
    t.erase(t.find_last_not_of(" \t") + 1);
    if (!t.empty()) tags.push_back(t);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return tags;
}

}  // namespace

CommandSpec AddVhost() {
  CommandSpec c;
  c.name = "add_vhost";
  c.section = "Virtual hosts";
  c.description = "Creates a virtual host";
  c.usage =
      "<vhost> [--description <description> --tags \"<tag1>,<tag2>,<...>\" --default-queue-type "
      "<quorum|classic|stream>]";
  c.arg_docs = {{"<vhost>", "Virtual host name"}};
  c.flags = {
      {"description", 'd', true, "<description>", "Virtual host description"},
      {"tags", 0, true, "<tags>", "Comma-separated list of tags"},
      {"default-queue-type", 0, true, "<quorum|classic|stream>",
       "Queue type to use if no type is explicitly provided by the client"},
  };
  c.min_args = 1;
  c.max_args = 1;
  c.doc_guides = {"https://rabbitmq.com/virtual-hosts.html"};
  c.validate = [](const Invocation& inv) -> Status {
    if (!inv.has("default-queue-type")) return Status::OK();
    const std::string dqt = inv.flag("default-queue-type");
    if (dqt.empty()) return Status::BadInput("Default queue type must not be an empty string");
    if (dqt != "quorum" && dqt != "stream" && dqt != "classic")
      return Status::BadInput(
          "Default queue type must be one of: quorum, stream, classic. Provided: " + dqt);
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) { return "Adding vhost \"" + inv.args[0] + "\" ..."; };
  c.run = [](Invocation& inv) -> Result<json> {
    json body = {{"description", inv.flag("description")},
                 {"tags", ParseTags(inv.flag("tags"))}};
    if (inv.has("default-queue-type")) body["default_queue_type"] = inv.flag("default-queue-type");
    return Call(inv, "POST", "/api/vhosts/" + Seg(inv.args[0]), body);
  };
  return c;
}

}  // namespace warren::cli::commands
