#pragma once
// Per-market check of a venue's trade sequence number (Upbit's `sequential_id`): unique per
// trade and increasing in the venue's order. A repeat is the same trade delivered again (Upbit
// re-sends the last trade as SNAPSHOT after every subscribe); a lower one means the feed went
// back or lost its order, which consumers must be told (a Gap). Plain integer logic, no I/O.
#include <cstdint>

namespace hft::gateways {

class TradeSequence {
 public:
  enum class Verdict : uint8_t {
    New = 0,        ///< first trade seen, or higher than the last: publish
    Duplicate = 1,  ///< equal to the last: drop
    Backwards = 2,  ///< lower than the last: publish a Gap, then the trade (it becomes the last)
  };

  /// Classifies `id` and remembers it unless it is a duplicate. 0 is taken as an id like any other.
  [[nodiscard]] Verdict next(uint64_t id) noexcept {
    if (seen_ && id == last_) return Verdict::Duplicate;
    const Verdict v = seen_ && id < last_ ? Verdict::Backwards : Verdict::New;
    last_ = id;
    seen_ = true;
    return v;
  }
  uint64_t last() const noexcept { return last_; }

 private:
  uint64_t last_ = 0;
  bool seen_ = false;
};

}  // namespace hft::gateways
