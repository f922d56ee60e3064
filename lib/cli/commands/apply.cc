#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"

namespace warren::cli::commands {
namespace {

std::string Plural(size_t n) { return std::to_string(n) + (n == 1 ? " change" : " changes"); }

Result<std::string> ReadFile(const std::string& path) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return Status::BadInput("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  const bool failed = std::ferror(f);
  if (f != stdin) std::fclose(f);
  if (failed) return Status::BadInput("cannot read " + path);
  return text;
}

}  // namespace

// warren's own declarative provisioning (docs/provisioning.md). The node parses the
// YAML and plans the changes, so the CLI links no YAML library; it sends the text.
CommandSpec Apply() {
  CommandSpec c;
  c.name = "apply";
  c.section = "Provisioning";
  c.description =
      "Makes users, virtual hosts, permissions, policies and parameters match a YAML file";
  c.usage = "-f <file> [--dry-run] [--prune]";
  c.flags = {{"file", 'f', true, "<file>", "the provisioning file (YAML); - reads stdin"},
             {"dry-run", 0, false, "", "print the changes without making them"},
             {"prune", 0, false, "", "also delete, for every section the file has, what the "
                                     "section does not list"}};
  c.doc_guides = {"docs/provisioning.md"};
  c.max_args = 0;
  c.errors = {{"bad_input", {65, false}}};
  c.validate = [](const Invocation& inv) -> Status {
    if (!inv.has("file"))
      return Status::Precondition("the file to apply is missing: give it with -f <file>");
    const std::string path = inv.flag("file");
    std::error_code ec;
    if (path != "-" && !std::filesystem::exists(path, ec))
      return Status::BadInput("Bad argument: File " + path + " does not exist");
    return Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    const std::string what = inv.flag("file") == "-" ? "standard input"
                                                     : "\"" + inv.flag("file") + "\"";
    if (inv.has("dry-run"))
      return "Planning changes from " + what + " on node " + inv.node + " (dry run) ...";
    return "Applying " + what + " to node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    const std::string path = inv.flag("file");
    WARREN_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    return Call(inv, "POST", "/api/provision",
                json{{"file", path == "-" ? "<stdin>" : path},
                     {"text", text},
                     {"dry_run", inv.has("dry-run")},
                     {"prune", inv.has("prune")}});
  };
  c.output = [](Invocation& inv, const json& reply) {
    if (inv.formatter == "json") {
      std::puts(reply.dump().c_str());
      return 0;
    }
    const json changes = reply.value("changes", json::array());
    for (const auto& ch : changes) {
      std::printf("%s %s %s\n", ch.value("action", "?").c_str(), ch.value("kind", "?").c_str(),
                  ch.value("name", "?").c_str());
    }
    if (inv.quiet || inv.silent) return 0;
    if (changes.empty()) {
      std::puts("No changes: the node already matches the file.");
    } else if (reply.value("dry_run", false)) {
      std::printf("%s planned; nothing applied (dry run).\n", Plural(changes.size()).c_str());
    } else {
      std::printf("Applied %s.\n", Plural(changes.size()).c_str());
    }
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
