// LatencyHistogram: a log-linear histogram of non-negative integers (nanoseconds here)
// with bounded relative error, cheap to record into and to merge, for the consumer
// latency percentiles. Values below 128 are kept exactly; larger ones fall into buckets
// 1/64 of their power of two wide, so a percentile is within 1.6% of the true value.
// A value type; not thread-safe (each consumer records into its own and the reporter
// merges them under a lock).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace warren::perf {

class LatencyHistogram {
 public:
  void Record(uint64_t value);
  void Merge(const LatencyHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  // The smallest / largest value recorded; 0 when empty.
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }

  // The value at quantile `q` (0 < q <= 1): the highest value of the bucket holding the
  // ceil(q * count)-th smallest value, clamped to [min, max]. 0 when empty.
  uint64_t Percentile(double q) const;

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr uint64_t kExact = uint64_t{2} << kSubBits;  // values below are exact
  static constexpr size_t kBuckets = kExact + (64 - kSubBits - 1) * (kExact / 2);

  static size_t IndexOf(uint64_t value);
  static uint64_t HighestOf(size_t index);

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace warren::perf
