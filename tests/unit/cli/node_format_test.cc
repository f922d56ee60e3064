#include "cli/commands/node_format.h"

#include <catch2/catch.hpp>

namespace warren::cli {

TEST_CASE("node_format: floats print as the RabbitMQ CLI prints them", "[cli]") {
  CHECK(FloatText(0.0) == "0.0");
  CHECK(FloatText(0.0313) == "0.0313");
  CHECK(FloatText(10.1104) == "10.1104");
  CHECK(FloatText(64.0) == "64.0");
  CHECK(FloatText(100000.0) == "100000.0");
}

TEST_CASE("node_format: information units convert and round to 4 decimals", "[cli]") {
  CHECK(ConvertUnit(128565248, "gb") == "0.1286");
  CHECK(ConvertUnit(88006700, "mb") == "88.0067");
  CHECK(ConvertUnit(88006700, "MB") == "88.0067");
  CHECK(ConvertUnit(50000000, "bytes") == "50000000");
  CHECK(ConvertUnit(0, "gb") == "0.0");
  CHECK(ConvertUnit(1500, "kb") == "1.5");
  for (const char* u : {"bytes", "kb", "KB", "kilobytes", "mb", "megabytes", "gb", "gigabytes",
                        "tb", "terabytes"})
    CHECK(KnownUnit(u));
  CHECK(!KnownUnit("kib"));
  CHECK(!KnownUnit("furlongs"));
  CHECK(UnknownUnitMessage("x") == "unit 'x' is not supported. Please use one of: bytes, mb, gb");
}

TEST_CASE("node_format: memory rows are percentages of the largest total, largest first", "[cli]") {
  const json breakdown = json::array({json::array({"code", 25}), json::array({"heap", 50}),
                                      json::array({"stack", 0}), json::array({"other", 25})});
  const json totals = {{"rss", 200}, {"allocated", 100}, {"used", 50}};
  auto rows = MemoryRows(breakdown, totals);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].category == "heap");
  CHECK(rows[0].percentage == Approx(25.0));
  CHECK(rows[1].category == "code");  // ties keep the node's order
  CHECK(rows[2].category == "other");
  CHECK(rows[3].category == "stack");
  CHECK(rows[3].percentage == 0.0);
  CHECK(Percentage(1, 3) == Approx(33.33));
  CHECK(Percentage(1, 0) == 0.0);
}

TEST_CASE("node_format: listener and alarm lines", "[cli]") {
  const json l = {{"interface", "[::]"}, {"node", "a@h"}, {"port", 5672}, {"protocol", "amqp"},
                  {"purpose", "AMQP 0-9-1 and AMQP 1.0"}};
  CHECK(ListenerLine(l) ==
        "Interface: [::], port: 5672, protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0");
  CHECK(ListenerLine(l, true) ==
        "Node: a@h, interface: [::], port: 5672, protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0");
  CHECK(AlarmLine({{"resource", "memory"}, {"node", "a@h"}}) == "Memory alarm on node a@h");
  CHECK(AlarmLine({{"resource", "disk"}, {"node", "a@h"}}) == "Free disk space alarm on node a@h");
}

}  // namespace warren::cli
