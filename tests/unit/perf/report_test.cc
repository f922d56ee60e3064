#include "perf/internal/report.h"

#include <catch2/catch.hpp>
#include <chrono>

namespace warren::perf {
namespace {

Summary Example() {
  Summary s{"test-114516-571", 10.0, 1000000, 0, 0, 0, 999000};
  s.send_rate = 100000;
  s.receive_rate = 99900;
  s.latency = {999000, 120, 450, 600, 900, 1500};
  return s;
}

TEST_CASE("report: the final summary has PerfTest's lines", "[perf]") {
  CHECK(FormatSummary(Example(), false) ==
        "id: test-114516-571, sending rate avg: 100000 msg/s\n"
        "id: test-114516-571, receiving rate avg: 99900 msg/s\n"
        "id: test-114516-571, consumer latency min/median/75th/95th/99th "
        "120/450/600/900/1500 µs\n");
}

TEST_CASE("report: without measured latency the latency line is left out", "[perf]") {
  Summary s = Example();
  s.latency = {};
  CHECK(FormatSummary(s, false).find("latency") == std::string::npos);
}

TEST_CASE("report: --json prints one JSON object", "[perf]") {
  CHECK(FormatSummary(Example(), true) ==
        "{\"id\":\"test-114516-571\",\"send_rate\":100000,\"receive_rate\":99900,"
        "\"sent\":1000000,\"confirmed\":0,\"nacked\":0,\"returned\":0,\"received\":999000,"
        "\"latency_us\":{\"min\":120,\"median\":450,\"p75\":600,\"p95\":900,\"p99\":1500},"
        "\"duration_s\":10.000}\n");
}

TEST_CASE("report: the per-second line shows confirms and latency when there are some",
          "[perf]") {
  internal::Interval i{"test-000001-002", 1.0, 0.5, 1000, 900, 10, 0, 800, true, false};
  CHECK(internal::FormatInterval(i) ==
        "id: test-000001-002, time 1.000 s, sent: 2000 msg/s, confirmed: 1800 msg/s, "
        "nacked: 20 msg/s, received: 1600 msg/s\n");
  i.confirms = false;
  i.latency = {5, 1, 2, 3, 4, 5};
  CHECK(internal::FormatInterval(i) ==
        "id: test-000001-002, time 1.000 s, sent: 2000 msg/s, received: 1600 msg/s, "
        "min/median/75th/95th/99th consumer latency: 1/2/3/4/5 µs\n");
}

TEST_CASE("report: test ids are test-HHMMSS-mmm", "[perf]") {
  const std::string id = internal::TestId(std::chrono::system_clock::now());
  REQUIRE(id.size() == 15);
  CHECK(id.substr(0, 5) == "test-");
  CHECK(id[11] == '-');
}

TEST_CASE("report: latency is summarized in microseconds", "[perf]") {
  LatencyHistogram h;
  h.Record(1500);
  h.Record(2500000);
  const LatencySummary l = internal::Summarize(h);
  CHECK(l.count == 2);
  CHECK(l.min_us == 1);
  CHECK(l.median_us == 1);
  CHECK(l.p99_us == 2500);
}

}  // namespace
}  // namespace warren::perf
