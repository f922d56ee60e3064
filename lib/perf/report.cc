// What a run prints: PerfTest's per-second line and final summary, word for word where
// PerfTest has one, and the JSON summary.
#include <fmt/format.h>

#include <ctime>

#include "perf/internal/report.h"

namespace warren::perf {
namespace internal {

std::string TestId(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  return fmt::format("test-{:02}{:02}{:02}-{:03}", local.tm_hour, local.tm_min, local.tm_sec,
                     ms.count() % 1000);
}

LatencySummary Summarize(const LatencyHistogram& h) {
  auto us = [](uint64_t ns) { return ns / 1000; };
  return LatencySummary{h.count(),          us(h.min()),          us(h.Percentile(0.5)),
                        us(h.Percentile(0.75)), us(h.Percentile(0.95)), us(h.Percentile(0.99))};
}

std::string FormatInterval(const Interval& i) {
  auto rate = [&](uint64_t n) { return i.seconds > 0 ? static_cast<double>(n) / i.seconds : 0; };
  std::string line = fmt::format("id: {}, time {:.3f} s, sent: {:.0f} msg/s", i.id, i.elapsed_s,
                                 rate(i.sent));
  if (i.confirms) {
    line += fmt::format(", confirmed: {:.0f} msg/s, nacked: {:.0f} msg/s", rate(i.confirmed),
                        rate(i.nacked));
  }
  if (i.returns) line += fmt::format(", returned: {:.0f} msg/s", rate(i.returned));
  line += fmt::format(", received: {:.0f} msg/s", rate(i.received));
  if (i.latency.count > 0) {
    const LatencySummary& l = i.latency;
    line += fmt::format(", min/median/75th/95th/99th consumer latency: {}/{}/{}/{}/{} µs",
                        l.min_us, l.median_us, l.p75_us, l.p95_us, l.p99_us);
  }
  return line + "\n";
}

}  // namespace internal

std::string FormatSummary(const Summary& s, bool json) {
  const LatencySummary& l = s.latency;
  if (json) {
    return fmt::format(
        "{{\"id\":\"{}\",\"send_rate\":{:.0f},\"receive_rate\":{:.0f},\"sent\":{},"
        "\"confirmed\":{},\"nacked\":{},\"returned\":{},\"received\":{},"
        "\"latency_us\":{{\"min\":{},\"median\":{},\"p75\":{},\"p95\":{},\"p99\":{}}},"
        "\"duration_s\":{:.3f}}}\n",
        s.id, s.send_rate, s.receive_rate, s.sent, s.confirmed, s.nacked, s.returned, s.received,
        l.min_us, l.median_us, l.p75_us, l.p95_us, l.p99_us, s.duration_s);
  }
  std::string out = fmt::format("id: {}, sending rate avg: {:.0f} msg/s\n", s.id, s.send_rate);
  out += fmt::format("id: {}, receiving rate avg: {:.0f} msg/s\n", s.id, s.receive_rate);
  if (l.count > 0) {
    out += fmt::format("id: {}, consumer latency min/median/75th/95th/99th {}/{}/{}/{}/{} µs\n",
                       s.id, l.min_us, l.median_us, l.p75_us, l.p95_us, l.p99_us);
  }
  return out;
}

}  // namespace warren::perf
