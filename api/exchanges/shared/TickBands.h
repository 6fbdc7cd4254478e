#pragma once
// Price-dependent tick sizes ("호가 단위"): the tick of a price is that of the highest band
// starting at or below it. A view over sorted (from, tick) integer pairs at one scale, so it
// can be fed from a static table (UpbitKrwTicks.h) or, later, from the loader of
// config/tick_rules/*.json - this class reads no file.
#include <cstddef>
#include <cstdint>
#include <span>

namespace hft::api::shared {

/// Prices >= from (up to the next band's from) are multiples of tick. Both at the table's scale.
struct TickBand {
  int64_t from;
  int64_t tick;
};

enum class TickCheck : uint8_t {
  Ok = 0,
  OffTick = 1,          ///< not a multiple of the band's tick (also: finer than the table's scale)
  NotPositive = 2,      ///< price <= 0
  OutOfRange = 3,       ///< the price does not fit the table's scale (int64 overflow)
};
const char* toString(TickCheck c) noexcept;

class TickBands {
 public:
  /// An empty view: check() answers OutOfRange.
  TickBands() noexcept = default;
  /// `bands` must outlive the view. Throws std::invalid_argument (start-up) unless the bands are
  /// non-empty, the first starts at 0, `from` strictly increases, every tick is > 0, and
  /// 0 <= scale <= 18.
  TickBands(std::span<const TickBand> bands, int scale);

  /// Is `price` (raw at `priceScale` decimals) on the grid? No allocation, no exception.
  [[nodiscard]] TickCheck check(int64_t price, int priceScale) const noexcept;
  /// The tick at `price`, at the table's scale (0 when the price cannot be expressed there).
  [[nodiscard]] int64_t tickAt(int64_t price, int priceScale) const noexcept;

  int scale() const noexcept { return scale_; }
  std::span<const TickBand> bands() const noexcept { return bands_; }

 private:
  bool toTableScale(int64_t price, int priceScale, int64_t& out, bool& finer) const noexcept;
  int64_t bandTick(int64_t p) const noexcept;

  std::span<const TickBand> bands_;
  int scale_ = 0;
};

}  // namespace hft::api::shared
