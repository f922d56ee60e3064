#include "cli/commands/node_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli/output.h"

namespace warren::cli {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Bytes per unit; 0 for "bytes" and unknown units.
double UnitBytes(const std::string& unit) {
  const std::string u = Lower(unit);
  if (u == "kb" || u == "kilobytes") return 1e3;
  if (u == "mb" || u == "megabytes") return 1e6;
  if (u == "gb" || u == "gigabytes") return 1e9;
  if (u == "tb" || u == "terabytes") return 1e12;
  return 0;
}

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

bool RabbitCompat(const Invocation& inv) {
  return inv.tool != nullptr && inv.tool->name.rfind("rabbitmq", 0) == 0;
}

std::string ProductName(const Invocation& inv) { return RabbitCompat(inv) ? "RabbitMQ" : "warren"; }

bool KnownUnit(const std::string& unit) { return Lower(unit) == "bytes" || UnitBytes(unit) > 0; }

std::string UnknownUnitMessage(const std::string& unit) {
  return "unit '" + unit + "' is not supported. Please use one of: bytes, mb, gb";
}

std::string ConvertUnit(uint64_t bytes, const std::string& unit) {
  const double per = UnitBytes(unit);
  if (per == 0) return std::to_string(bytes);
  return FloatText(Round(double(bytes) / per, 4));
}

std::string FloatText(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
  std::string s = ec == std::errc() ? std::string(buf, end) : std::to_string(value);
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

double Percentage(double part, double total) {
  return total > 0 ? Round(part / total * 100.0, 2) : 0.0;
}

std::vector<MemoryRow> MemoryRows(const json& breakdown, const json& totals) {
  double total = 0;
  for (const auto& [key, value] : totals.items())
    if (value.is_number()) total = std::max(total, value.get<double>());
  std::vector<MemoryRow> rows;
  for (const auto& pair : breakdown) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_number())
      continue;
    const uint64_t bytes = pair[1].get<uint64_t>();
    rows.push_back({pair[0].get<std::string>(), bytes, Percentage(double(bytes), total)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const MemoryRow& a, const MemoryRow& b) { return a.bytes > b.bytes; });
  return rows;
}

std::string ListenerLine(const json& l, bool with_node) {
  const std::string rest = "interface: " + l.value("interface", "") +
                           ", port: " + std::to_string(l.value("port", 0)) +
                           ", protocol: " + l.value("protocol", "") +
                           ", purpose: " + l.value("purpose", "");
  if (with_node) return "Node: " + l.value("node", "") + ", " + rest;
  return "I" + rest.substr(1);
}

std::string AlarmLine(const json& alarm) {
  const std::string resource = alarm.value("resource", "");
  const std::string node = alarm.value("node", "");
  if (resource == "memory") return "Memory alarm on node " + node;
  if (resource == "disk") return "Free disk space alarm on node " + node;
  if (resource == "file_descriptors") return "File descriptor limit alarm on node " + node;
  return resource + " alarm on node " + node;
}

int PrintMessage(const Invocation& inv, const std::string& text) {
  if (inv.formatter == "json") {
    PrintJsonLine(json{{"message", text}});
  } else {
    std::fputs((text + "\n").c_str(), stdout);
  }
  return 0;
}

void PrintJsonLine(const json& doc) {
  std::fputs((doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n").c_str(), stdout);
}

std::string SectionTitle(const std::string& title) {
  return std::string(kBoldOn) + title + kBoldOff;
}

}  // namespace warren::cli
