// A CLI command is one CommandSpec (CONVENTIONS 7): its name, the tools that expose it,
// usage and help, arguments and flags, list columns, and how to validate, run and print.
// Help, shell completions and man pages are generated from the same specs.
// Specs are immutable after registration; an Invocation lives for one CLI call.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "control/client.h"

namespace warren::cli {

using json = nlohmann::json;

// The tools; a command lists the ones that expose it.
enum Scope : unsigned {
  kCtl = 1,          // warrenctl / rabbitmqctl
  kPlugins = 2,      // warren-plugins / rabbitmq-plugins
  kDiagnostics = 4,  // warren-diagnostics / rabbitmq-diagnostics
};

struct Tool {
  Scope scope;
  std::string name;  // how it was invoked: "warrenctl" or "rabbitmqctl", ...
};

struct Flag {
  std::string name;       // long name without dashes: "description"
  char short_name = 0;    // 'p' for -p
  bool takes_value = false;
  std::string value_name; // "<description>" in usage
  std::string help;
  std::string default_value;  // for value flags
};

struct ArgDoc {
  std::string name;  // "<username>"
  std::string help;
};

struct Invocation;

// How a failure of kind[:subject] is reported, when not as the defaults say.
struct ErrorStyle {
  int exit_code;
  bool plain = false;  // print the reason alone, without the "Error:" line
};

// The app state a command needs on its node. As rabbitmqctl's
// validate_execution_environment, it is checked before the banner is printed, so a
// command refused for the app's state (or a node that is down) prints no banner.
enum class NeedsApp { kAny, kRunning, kStopped };

struct CommandSpec {
  std::string name;
  unsigned scopes = kCtl;
  std::string section;      // help section: "Users", "Nodes", ...
  std::string description;  // one line, for the command list
  std::string usage;        // what follows the name in the usage line
  std::vector<ArgDoc> arg_docs;
  std::vector<std::string> doc_guides;  // "https://rabbitmq.com/access-control.html"
  std::vector<Flag> flags;  // besides the global ones
  int min_args = 0;
  int max_args = 0;         // -1: any number
  bool uses_vhost = false;  // accepts -p/--vhost
  bool needs_node = true;   // false: runs without contacting a node (help, version)
  bool banner_on_error = true;  // list commands print their banner only on success
  NeedsApp needs_app = NeedsApp::kAny;
  std::vector<std::string> columns;          // list commands: every info key
  bool column_args = false;                  // positional arguments choose columns
  std::vector<std::string> default_columns;  // shown when none are asked for
  std::map<std::string, ErrorStyle> errors;  // "not_found:vhost" or "bad_input" -> style

  std::function<std::string(const Invocation&)> banner;
  std::function<Status(const Invocation&)> validate;  // pure: no I/O
  std::function<Result<json>(Invocation&)> run;
  // Prints a successful result; returns the exit code. Absent: lists are printed with
  // the formatter and anything else prints nothing.
  std::function<int(Invocation&, const json&)> output;
};

struct Invocation {
  const Tool* tool = nullptr;
  const CommandSpec* spec = nullptr;
  std::vector<std::string> args;               // positional arguments
  std::map<std::string, std::string> flags;    // command flags given: name -> value or "true"
  std::vector<std::string> argv;               // everything after the program name
  std::string node;                            // full node name
  std::string socket_path;
  std::optional<control::RemoteNode> remote;   // set: reached through its inter-node port
  bool quiet = false;
  bool silent = false;
  bool no_table_headers = false;
  std::string formatter = "table";
  std::optional<int> timeout_ms;               // -t; commands have their own default
  std::string vhost = "/";
  bool vhost_given = false;
  std::vector<std::string> columns;            // list commands: chosen columns

  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::string flag(const std::string& name, const std::string& fallback = "") const {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  }
  // The control client for this call's node and timeout.
  control::Client& client();
  // A control client for this call's node, through the same door, with its own timeout.
  control::Client NewClient(int timeout_ms) const;

 private:
  std::shared_ptr<control::Client> client_;
};

}  // namespace warren::cli
