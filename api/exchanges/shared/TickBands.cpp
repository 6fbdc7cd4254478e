#include "api/exchanges/shared/TickBands.h"

#include <stdexcept>
#include <string>

#include "common/FixedPoint.h"

namespace hft::api::shared {

const char* toString(TickCheck c) noexcept {
  switch (c) {
    case TickCheck::Ok: return "ok";
    case TickCheck::OffTick: return "off tick";
    case TickCheck::NotPositive: return "price not positive";
    case TickCheck::OutOfRange: return "price out of the table's range";
  }
  return "unknown";
}

TickBands::TickBands(std::span<const TickBand> bands, int scale) : bands_(bands), scale_(scale) {
  if (scale < 0 || scale > common::kMaxScale) throw std::invalid_argument("TickBands: scale outside 0..18");
  if (bands.empty() || bands[0].from != 0) throw std::invalid_argument("TickBands: the first band must start at 0");
  for (size_t i = 0; i < bands.size(); ++i) {
    if (bands[i].tick <= 0)
      throw std::invalid_argument("TickBands: band " + std::to_string(i) + " has a tick <= 0");
    if (i > 0 && bands[i].from <= bands[i - 1].from)
      throw std::invalid_argument("TickBands: band " + std::to_string(i) + " does not start above band " +
                                  std::to_string(i - 1));
  }
}

bool TickBands::toTableScale(int64_t price, int priceScale, int64_t& out, bool& finer) const noexcept {
  finer = false;
  if (priceScale == scale_) {
    out = price;
    return true;
  }
  if (priceScale < scale_) return common::rescale(price, priceScale, scale_, out);  // false = overflow
  // Finer than the table: representable only if the extra digits are zeros.
  if (common::rescale(price, priceScale, scale_, out)) return true;
  finer = true;
  return false;
}

int64_t TickBands::bandTick(int64_t p) const noexcept {
  // Few bands (Upbit KRW: 15): a linear scan from the top beats a binary search's branches.
  for (size_t i = bands_.size(); i-- > 0;)
    if (p >= bands_[i].from) return bands_[i].tick;
  return bands_[0].tick;
}

TickCheck TickBands::check(int64_t price, int priceScale) const noexcept {
  if (bands_.empty()) return TickCheck::OutOfRange;
  if (price <= 0) return TickCheck::NotPositive;
  int64_t p = 0;
  bool finer = false;
  if (!toTableScale(price, priceScale, p, finer)) return finer ? TickCheck::OffTick : TickCheck::OutOfRange;
  return p % bandTick(p) == 0 ? TickCheck::Ok : TickCheck::OffTick;
}

int64_t TickBands::tickAt(int64_t price, int priceScale) const noexcept {
  if (bands_.empty() || price <= 0) return 0;
  int64_t p = 0;
  bool finer = false;
  return toTableScale(price, priceScale, p, finer) ? bandTick(p) : 0;
}

}  // namespace hft::api::shared
