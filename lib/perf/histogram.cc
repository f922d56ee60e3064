#include "perf/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace warren::perf {

size_t LatencyHistogram::IndexOf(uint64_t value) {
  if (value < kExact) return static_cast<size_t>(value);
  // Shift so that the value keeps its top kSubBits + 1 bits: [64, 128) after the shift.
  const int shift = (63 - std::countl_zero(value)) - kSubBits;
  const uint64_t sub = (value >> shift) - (kExact / 2);
  return static_cast<size_t>(kExact + (shift - 1) * (kExact / 2) + sub);
}

uint64_t LatencyHistogram::HighestOf(size_t index) {
  if (index < kExact) return index;
  const size_t j = index - kExact;
  const int shift = static_cast<int>(j / (kExact / 2)) + 1;
  const uint64_t lowest = (j % (kExact / 2) + kExact / 2) << shift;
  return lowest + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::Record(uint64_t value) {
  ++counts_[IndexOf(value)];
  ++count_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Clear() { *this = LatencyHistogram(); }

uint64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  const double wanted = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_));
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(wanted));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(HighestOf(i), min_, max_);
  }
  return max_;
}

}  // namespace warren::perf
