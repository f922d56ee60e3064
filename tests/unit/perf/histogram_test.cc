#include "perf/histogram.h"

#include <catch2/catch.hpp>
#include <cstdint>

namespace warren::perf {
namespace {

TEST_CASE("histogram: an empty histogram reports zeros", "[perf]") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.Percentile(0.5) == 0);
}

TEST_CASE("histogram: small values are exact and percentiles use the nearest rank", "[perf]") {
  LatencyHistogram h;
  for (uint64_t v = 100; v >= 1; --v) h.Record(v);  // order does not matter
  CHECK(h.count() == 100);
  CHECK(h.min() == 1);
  CHECK(h.max() == 100);
  CHECK(h.Percentile(0.5) == 50);
  CHECK(h.Percentile(0.75) == 75);
  CHECK(h.Percentile(0.95) == 95);
  CHECK(h.Percentile(0.99) == 99);
  CHECK(h.Percentile(1.0) == 100);
  CHECK(h.Percentile(0.0) == 1);
}

TEST_CASE("histogram: large values stay within 1/64 of the truth", "[perf]") {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.Record(v * 1000);  // 1 µs .. 100 ms in ns
  for (double q : {0.5, 0.75, 0.95, 0.99}) {
    INFO(q);
    const double truth = q * 100000 * 1000;
    const double got = static_cast<double>(h.Percentile(q));
    CHECK(got >= truth);
    CHECK(got <= truth * (1.0 + 1.0 / 64));
  }
  CHECK(h.min() == 1000);
  CHECK(h.max() == 100000000);
}

TEST_CASE("histogram: a single value is reported exactly at every percentile", "[perf]") {
  LatencyHistogram h;
  h.Record(123456789);
  CHECK(h.Percentile(0.5) == 123456789);
  CHECK(h.Percentile(0.99) == 123456789);
}

TEST_CASE("histogram: the extremes of uint64 fit", "[perf]") {
  LatencyHistogram h;
  h.Record(0);
  h.Record(UINT64_MAX);
  CHECK(h.Percentile(0.5) == 0);
  CHECK(h.Percentile(1.0) == UINT64_MAX);
}

TEST_CASE("histogram: merging adds counts and widens min and max", "[perf]") {
  LatencyHistogram a, b;
  for (uint64_t v = 1; v <= 50; ++v) a.Record(v);
  for (uint64_t v = 51; v <= 100; ++v) b.Record(v);
  a.Merge(b);
  CHECK(a.count() == 100);
  CHECK(a.min() == 1);
  CHECK(a.max() == 100);
  CHECK(a.Percentile(0.9) == 90);
  a.Clear();
  CHECK(a.count() == 0);
  CHECK(a.Percentile(0.5) == 0);
}

}  // namespace
}  // namespace warren::perf
