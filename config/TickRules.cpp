#include "config/TickRules.h"

#include <limits>

#include "common/FixedPoint.h"
#include "common/Ids.h"
#include "config/ConfigError.h"
#include "config/JsonNode.h"

namespace hft::config {

namespace {

constexpr int kMaxPriceScale = 12;

}  // namespace

TickRules TickRules::loadFile(const std::string& path) {
  const nlohmann::json j = readJsonFile(path);
  return fromJson(j, path);
}

TickRules TickRules::fromJson(const nlohmann::json& j, const std::string& source) {
  const JsonNode root(j, source);
  root.expectObject({"venue", "quote", "price_scale", "source", "checked", "bands"});
  TickRules r;
  r.source_ = source;
  const JsonNode venue = root.child("venue", "one of binance, binance_futures, upbit, bithumb, simulated");
  r.venue_ = venue.asString();
  if (common::exchangeFromString(r.venue_.c_str()) == common::ExchangeId::None)
    venue.fail("one of binance, binance_futures, upbit, bithumb, simulated");
  const JsonNode quote = root.child("quote", "an asset code of upper-case letters and digits");
  r.quote_ = quote.asString();
  bool codeOk = !r.quote_.empty() && r.quote_.size() <= 16;
  for (char c : r.quote_) codeOk = codeOk && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!codeOk) quote.fail("an asset code of upper-case letters and digits");
  r.priceScale_ = static_cast<int>(root.requiredInt("price_scale", 0, kMaxPriceScale));
  (void)root.optionalString("source", "");   // provenance, for people
  (void)root.optionalString("checked", "");  // date the source was read

  const std::string scaleText = std::to_string(r.priceScale_);
  const JsonNode bands = root.child("bands", "an array of {\"from\": \"<price>\", \"tick\": \"<price>\"}");
  for (const JsonNode& b : bands.elements()) {
    b.expectObject({"from", "tick"});
    TickBand band{};
    band.from = b.requiredDecimal("from", r.priceScale_, 0,
                                  "a price >= 0 as a decimal string with at most " + scaleText + " decimals");
    band.tick = b.requiredDecimal("tick", r.priceScale_, 1,
                                  "a tick > 0 as a decimal string with at most " + scaleText + " decimals");
    if (r.bands_.empty() && band.from != 0)
      b.child("from", "").fail("\"0\" (the first band must start at zero so every price has a tick)");
    if (!r.bands_.empty() && band.from <= r.bands_.back().from)
      b.child("from", "").fail("a price above the previous band's from (" +
                               common::formatDecimal(r.bands_.back().from, r.priceScale_) +
                               "): bands strictly ascending");
    if (band.from % band.tick != 0)
      b.child("from", "").fail("a multiple of this band's tick (" + common::formatDecimal(band.tick, r.priceScale_) +
                               ") so that the band starts on its own grid");
    r.bands_.push_back(band);
  }
  if (r.bands_.empty()) bands.fail("at least one band");
  return r;
}

size_t TickRules::bandOf(int64_t price) const noexcept {
  // A dozen or two bands: a linear scan from the top is as fast as a binary search and
  // finds the high-priced bands (where BTC and ETH live) first.
  size_t i = bands_.size() - 1;
  while (i > 0 && price < bands_[i].from) --i;
  return i;
}

int64_t TickRules::tickAt(int64_t price) const noexcept { return bands_[bandOf(price)].tick; }

bool TickRules::isOnTick(int64_t price) const noexcept {
  if (price < minPrice()) return false;
  return price % bands_[bandOf(price)].tick == 0;
}

int64_t TickRules::roundToTick(int64_t price, common::Side side) const noexcept {
  if (price < minPrice()) return side == common::Side::Buy ? kNoPrice : minPrice();
  const size_t i = bandOf(price);
  const int64_t tick = bands_[i].tick;
  const int64_t below = price - price % tick;  // >= bands_[i].from: from is on this grid
  if (side == common::Side::Buy || below == price) return below;
  // Up: the next multiple of the tick, unless the next band starts first (its start is a
  // valid price, on the next band's grid, and above `price`).
  if (below > std::numeric_limits<int64_t>::max() - tick) return below;  // no valid price above: stay
  const int64_t up = below + tick;
  if (i + 1 < bands_.size() && up > bands_[i + 1].from) return bands_[i + 1].from;
  return up;
}

TickRules TickRules::rescaled(int priceScale) const {
  if (priceScale < 0 || priceScale > common::kMaxScale)
    throw ConfigError(source_, "price_scale", "a scale from 0 to 18 to rescale to", std::to_string(priceScale));
  TickRules r;
  r.source_ = source_;
  r.venue_ = venue_;
  r.quote_ = quote_;
  r.priceScale_ = priceScale;
  for (size_t i = 0; i < bands_.size(); ++i) {
    int64_t from = 0, tick = 0;
    const bool ok = common::rescale(bands_[i].from, priceScale_, priceScale, from) &&
                    common::rescale(bands_[i].tick, priceScale_, priceScale, tick) && tick > 0;
    if (ok) {
      r.bands_.push_back({from, tick});
      continue;
    }
    // A finer-than-the-scale band at the cheap end: those prices are not quotable at this
    // scale, so the table starts higher. Anywhere else the table would have a hole.
    if (r.bands_.empty()) continue;
    throw ConfigError(source_, "bands[" + std::to_string(i) + "]",
                      "a band expressible at price scale " + std::to_string(priceScale),
                      "from " + common::formatDecimal(bands_[i].from, priceScale_) + " tick " +
                          common::formatDecimal(bands_[i].tick, priceScale_));
  }
  if (r.bands_.empty())
    throw ConfigError(source_, "bands", "at least one band expressible at price scale " + std::to_string(priceScale),
                      "none");
  // The new lowest band may start above a dropped band's from, but its own start is on its
  // grid, so minPrice() is a valid price.
  return r;
}

}  // namespace hft::config
