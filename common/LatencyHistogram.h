#pragma once
// Fixed-size log-linear histogram of nanosecond values (HdrHistogram-style: 2^kSubBits
// linear buckets per power of two, so relative error stays below 1/2^kSubBits = 1.6%).
// record() is a few instructions and never allocates: safe on hot paths.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace hft::common {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = (64 - kSubBits) * kSub;

  void record(int64_t ns) noexcept {
    const uint64_t v = ns < 0 ? 0 : static_cast<uint64_t>(ns);
    ++counts_[index(v)];
    ++total_;
    if (v > max_) max_ = v;
    if (v < min_) min_ = v;
  }

  uint64_t count() const noexcept { return total_; }
  uint64_t max() const noexcept { return total_ ? max_ : 0; }
  uint64_t min() const noexcept { return total_ ? min_ : 0; }

  /// Value at quantile q in [0, 1] (upper edge of the bucket holding it, capped at max).
  uint64_t percentile(double q) const noexcept {
    if (total_ == 0) return 0;
    auto rank = static_cast<uint64_t>(q * static_cast<double>(total_));
    if (rank >= total_) rank = total_ - 1;
    uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts_[static_cast<size_t>(i)];
      if (seen > rank) {
        const uint64_t edge = upperEdge(i);
        return edge < max_ ? edge : max_;
      }
    }
    return max_;
  }

  void merge(const LatencyHistogram& o) noexcept {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    if (o.total_ && o.max_ > max_) max_ = o.max_;
    if (o.total_ && o.min_ < min_) min_ = o.min_;
  }

  void reset() noexcept { *this = LatencyHistogram{}; }

 private:
  static int index(uint64_t v) noexcept {
    if (v < kSub) return static_cast<int>(v);
    const int msb = 63 - std::countl_zero(v);          // >= kSubBits
    const int shift = msb - kSubBits;
    const int sub = static_cast<int>((v >> shift) & (kSub - 1));
    return (shift + 1) * kSub + sub;
  }
  static uint64_t upperEdge(int i) noexcept {
    if (i < kSub) return static_cast<uint64_t>(i);
    const int shift = i / kSub - 1;
    const uint64_t sub = static_cast<uint64_t>(i % kSub) | kSub;
    return ((sub + 1) << shift) - 1;
  }

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t total_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
};

}  // namespace hft::common
