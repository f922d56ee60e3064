// Formatting of a run's output; pure functions over plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "perf/histogram.h"
#include "perf/perf.h"

namespace warren::perf::internal {

// "test-HHMMSS-mmm" in local time, as PerfTest names its runs.
std::string TestId(std::chrono::system_clock::time_point now);

// Microsecond percentiles of a histogram of nanoseconds.
LatencySummary Summarize(const LatencyHistogram& nanos);

// One second (or so) of a run, as the reporter saw it.
struct Interval {
  std::string id;
  double elapsed_s = 0;  // since the start of the run
  double seconds = 0;    // length of this interval
  uint64_t sent = 0, confirmed = 0, nacked = 0, returned = 0, received = 0;
  bool confirms = false;  // show confirmed/nacked
  bool returns = false;   // show returned
  LatencySummary latency;
};

// "id: test-..., time 1.000 s, sent: N msg/s, received: N msg/s, min/median/75th/95th/99th
// consumer latency: a/b/c/d/e µs\n"; latency only when some was measured.
std::string FormatInterval(const Interval& interval);

}  // namespace warren::perf::internal
