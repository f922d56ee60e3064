// Formatting shared by the node and diagnostics commands: information units, listener
// and alarm lines, memory breakdowns and one-message results, as rabbitmqctl and
// rabbitmq-diagnostics print them. Internal to lib/cli; pure functions except the
// Print* ones, which write to stdout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/command.h"

namespace warren::cli {

// True when the tool runs under one of RabbitMQ's names (rabbitmqctl, ...): texts that
// name the product then say "RabbitMQ", as scripts written for RabbitMQ expect.
bool RabbitCompat(const Invocation& inv);
// "RabbitMQ" through a rabbitmq* link, "warren" otherwise.
std::string ProductName(const Invocation& inv);

// bytes, kb, kilobytes, mb, megabytes, gb, gigabytes, tb, terabytes (any case).
bool KnownUnit(const std::string& unit);
// The validation message for an unknown --unit, as rabbitmqctl words it.
std::string UnknownUnitMessage(const std::string& unit);
// `bytes` in `unit`: "128565248" for bytes, else rounded to 4 decimals ("0.1286").
std::string ConvertUnit(uint64_t bytes, const std::string& unit);
// A float as Elixir prints it: the shortest text that reads back, always with a
// fractional part ("0.0313", "64.0", "0.0").
std::string FloatText(double value);
// 100 * part / total, rounded to 2 decimals (0 when total is 0).
double Percentage(double part, double total);

struct MemoryRow {
  std::string category;
  uint64_t bytes;
  double percentage;
};
// `breakdown` is [[category, bytes], ...]; `totals` the {"rss", "allocated", "used"}
// object. Percentages are of the largest total; rows sorted by bytes, largest first.
std::vector<MemoryRow> MemoryRows(const json& breakdown, const json& totals);

// "Interface: [::], port: 5672, protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0";
// with `with_node`, "Node: n, interface: ..." as cluster_status prints it.
std::string ListenerLine(const json& listener, bool with_node = false);
// "Memory alarm on node n" / "Free disk space alarm on node n".
std::string AlarmLine(const json& alarm);

// Prints a one-line result: {"message": text} with --formatter json, else the text.
int PrintMessage(const Invocation& inv, const std::string& text);
// Prints `doc` as one line of JSON.
void PrintJsonLine(const json& doc);
// "\x1b[1mTitle\x1b[0m": a section header of status and cluster_status.
std::string SectionTitle(const std::string& title);

}  // namespace warren::cli
