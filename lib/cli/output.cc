#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/node_env.h"
#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "control/client.h"

namespace warren::cli {
namespace {

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> ChosenColumns(const Invocation& inv) {
  if (!inv.columns.empty()) return inv.columns;
  return inv.spec->default_columns;
}

std::string CsvQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Pretty-table cells show lists without brackets.
std::string PrettyCell(const json& v) {
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) parts.push_back(CellText(e));
    return Join(parts, ", ");
  }
  return CellText(v);
}

void PrintPrettyTable(const std::vector<std::string>& cols, const std::vector<std::vector<std::string>>& rows,
                      bool headers) {
  std::vector<size_t> w(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    w[c] = headers ? cols[c].size() : 0;
    for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
  }
  auto rule = [&](char left, char mid, char right) {
    std::string line = "\x1b(0";
    line += left;
    for (size_t c = 0; c < cols.size(); ++c) {
      line += std::string(w[c] + 2, 'q');
      line += c + 1 < cols.size() ? mid : right;
    }
    return line + "\x1b(B\n";
  };
  const std::string bar = "\x1b(0x\x1b(B";
  std::string out = rule('l', 'w', 'k');
  if (headers) {
    out += bar;
    for (size_t c = 0; c < cols.size(); ++c) {
      out += std::string(" ") + kBoldOn + cols[c] + kBoldOff + std::string(w[c] - cols[c].size(), ' ') + " " + bar;
    }
    out += "\n";
  }
  for (const auto& r : rows) {
    if (headers || &r != &rows.front()) out += rule('t', 'n', 'u');
    out += bar;
    for (size_t c = 0; c < cols.size(); ++c)
      out += " " + r[c] + std::string(w[c] - r[c].size(), ' ') + " " + bar;
    out += "\n";
  }
  out += rule('m', 'v', 'j');
  std::fputs(out.c_str(), stdout);
}

void PrintNodeDown(const Invocation& inv, const Status& status) {
  std::string host = inv.node.substr(inv.node.find('@') + 1);
  std::string others;
  std::error_code ec;
  std::string dir = std::filesystem::path(inv.socket_path).parent_path().string();
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::string f = it->path().filename().string();
    if (f.size() > 5 && f.ends_with(".sock") && f != inv.node + ".sock") {
      others += others.empty() ? "" : ", ";
      others += f.substr(0, f.size() - 5);
    }
  }
  std::string msg =
      "Error: unable to perform an operation on node '" + inv.node +
      "'. Please see diagnostics information and suggestions below.\n\n"
      "Most common reasons for this are:\n\n"
      " * Target node is not running\n"
      " * Target node runs with a different WARREN_RUN_DIR (its control socket is elsewhere)\n"
      " * Target node runs as another user\n\n"
      "In addition to the diagnostics info below:\n\n"
      " * Consult server logs on node " + inv.node + "\n"
      " * Start the node with 'warren-server' or check it with 'warren-diagnostics ping'\n\n"
      "DIAGNOSTICS\n===========\n\n"
      "attempted to contact: [" + inv.node + "]\n\n" +
      inv.node + ":\n"
      "  * " + status.message() + "\n"
      "  * other nodes on " + host + ": [" + others + "]\n"
      "  * suggestion: start the node\n\n"
      "Current node details:\n"
      " * control socket directory: " + dir + "\n"
      " * effective user id: " + std::to_string(::geteuid()) + "\n";
  std::fputs(msg.c_str(), stderr);
}

}  // namespace

std::string UsageLine(const Tool& tool, const CommandSpec& spec) {
  std::string line = tool.name + " [--node <node>] [--longnames] [--quiet] " + spec.name;
  if (!spec.usage.empty()) line += " " + spec.usage;
  return line;
}

std::string CellText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) parts.push_back(CellText(e));
    return "[" + Join(parts, ", ") + "]";
  }
  return v.dump();
}

void PrintBanner(const Invocation& inv, const std::string& text) {
  if (inv.quiet || inv.silent || text.empty()) return;
  if (inv.formatter == "json" || inv.formatter == "csv") return;
  std::fputs((text + "\n").c_str(), stdout);
}

int PrintRows(Invocation& inv, const json& rows) {
  const std::vector<std::string> cols = ChosenColumns(inv);
  const bool headers = !inv.silent && !inv.no_table_headers;
  if (inv.formatter == "json") {
    if (rows.empty()) {
      std::fputs("[]\n", stdout);
      return kExitOk;
    }
    std::string out = "[\n";
    bool first = true;
    for (const auto& r : rows) {
      json o = json::object();
      std::string line = "{";
      bool f = true;
      for (const auto& c : cols) {
        line += (f ? "" : ",") + json(c).dump() + ":" + (r.contains(c) ? r[c].dump() : "null");
        f = false;
      }
      line += "}";
      out += (first ? "" : ",") + line + "\n";
      first = false;
    }
    out += "]\n";
    std::fputs(out.c_str(), stdout);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (const auto& c : cols) {
      json v = r.contains(c) ? r[c] : json(nullptr);
      line.push_back(inv.formatter == "pretty_table" ? PrettyCell(v) : CellText(v));
    }
    cells.push_back(std::move(line));
  }
  if (inv.formatter == "pretty_table") {
    PrintPrettyTable(cols, cells, headers);
    return kExitOk;
  }
  std::string out;
  if (inv.formatter == "csv") {
    std::vector<std::string> q;
    for (const auto& c : cols) q.push_back(CsvQuote(c));
    if (headers) out += Join(q, ",") + "\n";
    for (const auto& line : cells) {
      q.clear();
      for (const auto& v : line) q.push_back(CsvQuote(v));
      out += Join(q, ",") + "\n";
    }
  } else {
    if (headers && !rows.empty()) out += Join(cols, "\t") + "\n";
    for (const auto& line : cells) out += Join(line, "\t") + "\n";
  }
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

int PrintValidationError(const Tool& tool, const CommandSpec* spec,
                         const std::vector<std::string>& argv, const std::string& message,
                         int exit_code) {
  std::string out = message + "\nArguments given:\n\t" + Join(argv, " ") + "\n\n" + kBoldOn +
                    "Usage" + kBoldOff + "\n\n";
  if (spec) {
    out += UsageLine(tool, *spec) + "\n";
  } else {
    out += tool.name + " [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> [<command options>]\n";
  }
  std::fputs(out.c_str(), stderr);
  return exit_code;
}

int PrintError(Invocation& inv, const Status& status) {
  const std::string kind(ErrorKindToken(status.kind()));
  if (status.kind() == ErrorKind::kUnavailable && status.subject() == control::kSubjectNodeDown) {
    if (auto it = inv.spec->errors.find("node_down"); it != inv.spec->errors.end()) {
      std::fputs(("Error:\n" + status.message() + "\n").c_str(), stderr);
      return it->second.exit_code;
    }
    PrintNodeDown(inv, status);
    return kExitUnavailable;
  }
  if (status.kind() == ErrorKind::kTimeout) {
    std::string used = inv.timeout_ms ? std::to_string(*inv.timeout_ms / 1000) : "infinity";
    if (inv.timeout_ms && *inv.timeout_ms % 1000 != 0)
      used = std::to_string(double(*inv.timeout_ms) / 1000.0);
    std::fputs(("Error: operation " + inv.spec->name + " on node " + inv.node +
                " timed out. Timeout value used: " + used + "\n").c_str(), stderr);
    return kExitTempFail;
  }
  if (status.kind() == ErrorKind::kPrecondition && status.subject() == "app_state") {
    return PrintValidationError(*inv.tool, inv.spec, inv.argv, "Error: " + status.message(),
                                kExitUsage);
  }
  ErrorStyle style{ExitCodeFor(status.kind(), status.subject() == "user"), false};
  const auto& errors = inv.spec->errors;
  if (auto it = errors.find(kind + ":" + status.subject()); it != errors.end()) {
    style = it->second;
  } else if (auto it2 = errors.find(kind); it2 != errors.end()) {
    style = it2->second;
  }
  std::string out = style.plain ? status.message() + "\n" : "Error:\n" + status.message() + "\n";
  std::fputs(out.c_str(), stderr);
  return style.exit_code;
}

}  // namespace warren::cli
