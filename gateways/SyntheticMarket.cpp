#include "gateways/SyntheticMarket.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "common/FixedPoint.h"

// A fused multiply-add rounds differently from a multiply then an add; contracting would
// make the doubles (and so the rounded ticks) depend on the compiler and the target CPU.
// CMakeLists.txt passes -ffp-contract=off; the pragma keeps clang honest in any other build.
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

namespace hft::gateways {

using common::Side;
using common::TimestampNs;

namespace {

constexpr TimestampNs kNever = std::numeric_limits<TimestampNs>::max() / 2;
constexpr double kMaxDurationNs = 1e17;  // ~3 years: keeps every time sum far from overflow

// Events per action on average (measured: 1 action = delta, or trade + delta, often + BBO);
// dividing by it makes events_per_second the emitted event rate rather than the action rate.
constexpr double kEventsPerAction = 1.95;
// Simulated venue-to-us latency: a floor plus an exponential tail.
constexpr double kLatencyBaseNs = 150'000;
constexpr double kLatencyJitterMeanNs = 25'000;
constexpr double kLatencyJitterMaxNs = 2'000'000;
// Action mix: trades are rare while the book sits on the fair price and frequent when the
// book lags it (aggressors pick off stale quotes), which is how trades cluster around moves.
constexpr double kTradeBase = 0.08;
constexpr double kTradeLag = 0.35;
constexpr double kLevelGrowth = 0.3;  // mean level size grows 30% of the touch size per level
constexpr double kGapBase = 0.35;     // extra ticks between levels on a coarse tick (~25% gaps)
constexpr double kBookSpan = 0.3;     // the book's levels span ~0.3 of a one-second move

TimestampNs toNs(double seconds) noexcept {
  return static_cast<TimestampNs>(std::min(seconds * 1e9, kMaxDurationNs) + 0.5);
}

Side opposite(Side s) noexcept { return s == Side::Buy ? Side::Sell : Side::Buy; }

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("SyntheticConfig: " + what);
}

}  // namespace

// ---- SyntheticRandom ----------------------------------------------------------------------

SyntheticRandom::SyntheticRandom(uint64_t seed) noexcept : gen_(seed) {}

uint64_t SyntheticRandom::nextU64() noexcept { return gen_.next(); }

double SyntheticRandom::uniform() noexcept { return gen_.uniform01(); }

uint64_t SyntheticRandom::below(uint64_t n) noexcept {
  return std::min(n - 1, static_cast<uint64_t>(uniform() * static_cast<double>(n)));
}

double SyntheticRandom::exponential(double mean) noexcept { return -mean * portableLog(1.0 - uniform()); }

double SyntheticRandom::normal() noexcept {
  if (hasSpare_) {
    hasSpare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2 * uniform() - 1;
    v = 2 * uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double f = std::sqrt(-2 * portableLog(s) / s);  // sqrt is correctly rounded by IEEE 754
  spare_ = v * f;
  hasSpare_ = true;
  return u * f;
}

double portableLog(double x) noexcept {
  int e = 0;
  double m = std::frexp(x, &e);  // exact: x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2;
    --e;
  }
  // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172: eleven odd terms reach double precision.
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double sum = 1.0 / 21;
  for (int k = 19; k >= 1; k -= 2) sum = sum * s2 + 1.0 / k;
  return static_cast<double>(e) * 0.69314718055994530942 + 2 * s * sum;
}

// ---- SyntheticMarket: setup ---------------------------------------------------------------

SyntheticMarket::SyntheticMarket(SyntheticConfig cfg) : cfg_(std::move(cfg)), rng_(cfg_.seed) {
  require(!cfg_.instruments.empty(), "no instruments");
  require(cfg_.book_depth >= 1 && cfg_.book_depth <= 1000, "book_depth must be in [1, 1000]");
  require(std::isfinite(cfg_.events_per_second) && cfg_.events_per_second > 0, "events_per_second must be > 0");
  // Beyond 10% per sqrt(second) the book's depth could reach below a zero price.
  require(cfg_.volatility_bps_per_sqrt_s >= 0 && cfg_.volatility_bps_per_sqrt_s <= 1000,
          "volatility_bps_per_sqrt_s must be in [0, 1000]");
  require(cfg_.trend_regime_mean_s > 0, "trend_regime_mean_s must be > 0");
  require(cfg_.burst_probability >= 0 && cfg_.burst_probability < 1, "burst_probability must be in [0, 1)");
  require(cfg_.burst_multiplier >= 1 && cfg_.burst_multiplier <= 1e4, "burst_multiplier must be in [1, 1e4]");
  require(cfg_.burst_mean_s > 0, "burst_mean_s must be > 0");
  require(cfg_.start_ns >= 0 && cfg_.start_ns < kNever / 2, "start_ns out of range");
  std::unordered_set<common::InstrumentId> ids;
  for (const auto& s : cfg_.instruments) {
    const std::string who = "instrument " + std::to_string(s.id) + ": ";
    require(s.id != 0 && ids.insert(s.id).second, who + "id must be non-zero and unique");
    require(s.tick_size > 0 && s.lot_size > 0, who + "tick_size and lot_size must be > 0");
    require(s.start_price % s.tick_size == 0, who + "start_price is not on the tick grid");
    const int64_t ticks = s.start_price / s.tick_size;
    require(ticks >= minStartTicks(cfg_.book_depth),
            who + "start_price must be at least " + std::to_string(minStartTicks(cfg_.book_depth)) + " ticks");
    require(ticks <= std::numeric_limits<int64_t>::max() / 16 / s.tick_size, who + "start_price too large");
    require(s.touch_qty >= 0, who + "touch_qty must be >= 0");
    // Deepest level's largest size (profile x noise), with 8x headroom for size drift.
    const double maxLots = std::max(20.0, static_cast<double>(s.touch_qty / s.lot_size)) * 1.3 * 1.7 *
                           (1 + kLevelGrowth * (cfg_.book_depth - 1)) * 8;
    require(maxLots * static_cast<double>(s.lot_size) < 0x1p62, who + "touch_qty or lot_size too large");
    require(s.price_scale >= 0 && s.price_scale <= common::kMaxScale && s.qty_scale >= 0 &&
                s.qty_scale <= common::kMaxScale,
            who + "scales must be in [0, 18]");
  }

  const auto depth = static_cast<size_t>(cfg_.book_depth);
  const auto n = static_cast<double>(cfg_.instruments.size());
  actionRate_ = cfg_.events_per_second / n / kEventsPerAction;
  // A trend regime moves the mid about two calm standard deviations over its mean length:
  // clearly visible, yet noise still dominates on short horizons.
  trendPerS_ = 2 * cfg_.volatility_bps_per_sqrt_s * 1e-4 / std::sqrt(cfg_.trend_regime_mean_s);

  instruments_.reserve(cfg_.instruments.size());
  for (const auto& spec : cfg_.instruments) {
    Instrument in;
    in.spec = spec;
    const double touchLots = spec.touch_qty > 0 ? static_cast<double>(spec.touch_qty / spec.lot_size) : 20.0;
    in.base_lots = std::max(1.0, touchLots * (0.7 + 0.6 * rng_.uniform()));
    in.bids.resize(depth);
    in.asks.resize(depth);
    int64_t bid = spec.start_price / spec.tick_size;
    int64_t ask = bid + 1;
    in.fair = static_cast<double>(bid) + 0.5;
    for (size_t i = 0; i < depth; ++i) {
      in.bids[i] = {bid, profileLots(in, i)};
      in.asks[i] = {ask, profileLots(in, i)};
      bid -= gapTicks(in, i);
      ask += gapTicks(in, i);
    }
    in.regime = pickRegime();
    in.last_ns = cfg_.start_ns;
    in.regime_end_ns = cfg_.start_ns + std::max<TimestampNs>(1, toNs(rng_.exponential(cfg_.trend_regime_mean_s)));
    in.next_burst_ns = nextBurst(cfg_.start_ns);
    in.next_ns = cfg_.start_ns + std::max<TimestampNs>(1, toNs(rng_.exponential(1 / actionRate_)));
    instruments_.push_back(std::move(in));
  }
  // The largest action is an instrument's initial book: snapshot, the delta pieces, a BBO.
  queue_.resize(2 + (2 * depth + common::BookDelta::kMaxLevels - 1) / common::BookDelta::kMaxLevels);
  initial_.resize(2 * depth);
}

// ---- SyntheticMarket: generation ----------------------------------------------------------

bool SyntheticMarket::next(common::EventBuffer& out) noexcept {
  if (exhausted()) return false;
  if (head_ == tail_) {
    head_ = tail_ = 0;
    if (initialized_ < instruments_.size())
      emitInitial(instruments_[initialized_++]);
    else
      act();
  }
  const common::EventBuffer& e = queue_[head_++];
  std::memcpy(out.bytes, e.bytes, e.header().size);
  ++generated_;
  return true;
}

void SyntheticMarket::setTimes(TimestampNs t) noexcept {
  actionTs_ = t;
  const double jitter = std::min(rng_.exponential(kLatencyJitterMeanNs), kLatencyJitterMaxNs);
  // One connection delivers in order, so receive time never goes backwards.
  receiveTs_ = std::max(receiveTs_, t + static_cast<TimestampNs>(kLatencyBaseNs + jitter + 0.5));
}

void SyntheticMarket::emitInitial(Instrument& in) noexcept {
  setTimes(cfg_.start_ns);
  in.update_id = 1;
  auto& snap = pushEvent<common::BookSnapshot>(in);
  snap.last_update_id = in.update_id;
  const size_t shown = std::min<size_t>(common::BookSnapshot::kDepth, in.bids.size());
  snap.bid_count = snap.ask_count = static_cast<uint16_t>(shown);
  for (size_t i = 0; i < shown; ++i) {
    snap.bids[i] = {in.bids[i].ticks * in.spec.tick_size, in.bids[i].lots * in.spec.lot_size};
    snap.asks[i] = {in.asks[i].ticks * in.spec.tick_size, in.asks[i].lots * in.spec.lot_size};
  }
  size_t n = 0;
  for (const auto* side : {&in.bids, &in.asks})
    for (const Level& l : *side) {
      initial_[n] = {};
      initial_[n].price = l.ticks * in.spec.tick_size;
      initial_[n].qty = l.lots * in.spec.lot_size;
      initial_[n].side = side == &in.bids ? Side::Buy : Side::Sell;
      ++n;
    }
  pushDelta(in, initial_.data(), n, common::BookDelta::kClearBook | common::BookDelta::kFromSnapshot,
            in.update_id, in.update_id, 0);
  pushBbo(in);
}

void SyntheticMarket::act() noexcept {
  Instrument* in = &instruments_[0];
  for (auto& other : instruments_)
    if (other.next_ns < in->next_ns) in = &other;
  const TimestampNs t = in->next_ns;
  setTimes(t);
  advance(*in, t);

  const Top before = top(*in);
  batchCount_ = 0;
  const double lag = in->fair - mid(*in);
  if (rng_.chance(kTradeBase + kTradeLag * std::min(1.0, std::abs(lag) / 4)))
    trade(*in, lag);
  else
    quote(*in);
  pushBatch(*in);
  if (top(*in) != before) pushBbo(*in);

  const double rate = actionRate_ * (in->burst_end_ns != 0 ? cfg_.burst_multiplier : 1.0);
  in->next_ns = t + std::max<TimestampNs>(1, toNs(rng_.exponential(1 / rate)));
}

void SyntheticMarket::advance(Instrument& in, TimestampNs t) noexcept {
  const double dt = static_cast<double>(t - in.last_ns) * 1e-9;
  in.last_ns = t;
  while (t >= in.regime_end_ns) {
    in.regime = pickRegime();
    in.regime_end_ns += std::max<TimestampNs>(1, toNs(rng_.exponential(cfg_.trend_regime_mean_s)));
  }
  if (in.burst_end_ns != 0 && t >= in.burst_end_ns) {
    in.burst_end_ns = 0;
    in.next_burst_ns = nextBurst(t);
  }
  if (in.burst_end_ns == 0 && t >= in.next_burst_ns)
    in.burst_end_ns = t + std::max<TimestampNs>(1, toNs(rng_.exponential(cfg_.burst_mean_s)));

  // Volatility per sqrt(second) rises with sqrt(rate) in a burst, so each event moves the
  // price about as much as a calm one: volatility follows activity, as on real venues.
  const double volScale = in.burst_end_ns != 0 ? std::sqrt(cfg_.burst_multiplier) : 1.0;
  const double sigma = cfg_.volatility_bps_per_sqrt_s * 1e-4 * in.fair * volScale;
  const double trend = in.regime == Regime::Up ? 1.0 : in.regime == Regime::Down ? -1.0 : 0.0;
  in.fair += trend * trendPerS_ * in.fair * dt + sigma * std::sqrt(dt) * rng_.normal();
  // Bounds keep the deepest bid above zero and every raw price far from int64 overflow.
  const auto lo = static_cast<double>(floorTicks(cfg_.book_depth));
  const auto hi = static_cast<double>(std::numeric_limits<int64_t>::max() / 8 / in.spec.tick_size);
  in.fair = std::clamp(in.fair, lo, hi);
}

SyntheticMarket::Regime SyntheticMarket::pickRegime() noexcept {
  const double u = rng_.uniform();
  return u < 0.4 ? Regime::Flat : u < 0.7 ? Regime::Up : Regime::Down;
}

TimestampNs SyntheticMarket::nextBurst(TimestampNs t) noexcept {
  if (cfg_.burst_probability <= 0) return kNever;
  // Hazard rate whose chance of at least one start within one second is burst_probability.
  const double perSecond = -portableLog(1 - cfg_.burst_probability);
  return t + std::max<TimestampNs>(1, toNs(rng_.exponential(1 / perSecond)));
}

void SyntheticMarket::trade(Instrument& in, double lag) noexcept {
  const bool informed = std::abs(lag) >= 0.5 && rng_.chance(0.85);
  const Side aggressor = informed ? (lag > 0 ? Side::Buy : Side::Sell) : (rng_.chance(0.5) ? Side::Buy : Side::Sell);
  const Side maker = opposite(aggressor);
  const Level touch = book(in, maker)[0];
  // Far behind the fair price, takers sweep whole levels; otherwise they nibble the touch.
  const bool sweep = std::abs(lag) >= 1.5 && rng_.chance(0.6);
  const int64_t lots =
      sweep ? touch.lots
            : std::min(touch.lots, 1 + static_cast<int64_t>(
                                           std::min(rng_.exponential(0.25 * static_cast<double>(touch.lots)), 1e12)));
  auto& tr = pushEvent<common::Trade>(in);
  tr.price = touch.ticks * in.spec.tick_size;
  tr.qty = lots * in.spec.lot_size;
  tr.trade_id = ++in.trade_id;
  tr.aggressor = aggressor;
  if (lots == touch.lots)
    removeAt(in, maker, 0);
  else
    setLots(in, maker, 0, touch.lots - lots);
}

void SyntheticMarket::quote(Instrument& in) noexcept {
  if (std::abs(in.fair - mid(in)) >= 2) {
    // Far behind a move, makers re-quote it in one go (a larger diff, as venues send after a
    // jump); small steps would leave the book lagging with a spread of many ticks.
    double lag = in.fair - mid(in);
    while (std::abs(lag) >= 1 && batchCount_ + 2 <= kMaxBatch) {
      recentre(in, lag, kMaxBatch);
      lag = in.fair - mid(in);
    }
    return;
  }
  const size_t want = 1 + static_cast<size_t>(std::min(rng_.exponential(1.0), 5.0));
  for (int ops = 0; batchCount_ < want && ops < 8; ++ops) {
    const double lag = in.fair - mid(in);
    if (batchCount_ + 2 > kMaxChanges) {
      perturb(in);  // the only one-change edit
    } else if (std::abs(lag) >= 1 && rng_.chance(0.8)) {
      recentre(in, lag, kMaxChanges);
    } else if (in.asks[0].ticks - in.bids[0].ticks > 1 && rng_.chance(0.8)) {
      improve(in, lag, kMaxChanges);
    } else {
      const double u = rng_.uniform();
      if (u < 0.65) {
        perturb(in);
      } else if (u < 0.82) {
        const Side s = rng_.chance(0.5) ? Side::Buy : Side::Sell;
        size_t i = pickLevel();
        if (i == 0 && in.bids.size() > 1 && !rng_.chance(0.3)) i = 1;  // the touch flickers, but rarely
        removeAt(in, s, i);
      } else {
        fillGap(in);
      }
    }
  }
}

void SyntheticMarket::recentre(Instrument& in, double lag, size_t limit) noexcept {
  // Makers chase the fair price: pull quotes left on the wrong side of it, then step the
  // other side's touch towards it (never through the opposite touch).
  const int64_t bid = in.bids[0].ticks, ask = in.asks[0].ticks;
  if (lag > 0) {
    const auto target = static_cast<int64_t>(std::floor(in.fair - 0.5));
    const int64_t price = std::min(ask - 1, target);
    if (ask <= target || price <= bid)
      removeAt(in, Side::Sell, 0);
    else
      join(in, Side::Buy, price, limit);
  } else {
    const auto target = static_cast<int64_t>(std::ceil(in.fair + 0.5));
    const int64_t price = std::max(bid + 1, target);
    if (bid >= target || price >= ask)
      removeAt(in, Side::Buy, 0);
    else
      join(in, Side::Sell, price, limit);
  }
}

void SyntheticMarket::improve(Instrument& in, double lag, size_t limit) noexcept {
  const int64_t bid = in.bids[0].ticks, ask = in.asks[0].ticks;
  const Side s = lag > 0.25 ? Side::Buy : lag < -0.25 ? Side::Sell : (rng_.chance(0.5) ? Side::Buy : Side::Sell);
  // Join the fair price from this side: a wide spread closes in a step or two.
  const int64_t price = s == Side::Buy ? static_cast<int64_t>(std::floor(in.fair - 0.5))
                                       : static_cast<int64_t>(std::ceil(in.fair + 0.5));
  join(in, s, std::clamp(price, bid + 1, ask - 1), limit);
}

void SyntheticMarket::join(Instrument& in, Side s, int64_t price, size_t limit) noexcept {
  insert(in, s, price, profileLots(in, 0));
  // Makers quote a ladder, not a lone level: with nothing close behind the new touch, the
  // next trade would open the spread all the way back to the old, distant levels.
  const std::vector<Level>& lv = book(in, s);
  if (lv.size() < 2 || batchCount_ + 2 > limit) return;
  const int64_t gap = gapTicks(in, 0);
  const int64_t behind = s == Side::Buy ? price - gap : price + gap;
  if (s == Side::Buy ? behind > lv[1].ticks : behind < lv[1].ticks) insert(in, s, behind, profileLots(in, 1));
}

void SyntheticMarket::perturb(Instrument& in) noexcept {
  const Side s = rng_.chance(0.5) ? Side::Buy : Side::Sell;
  const size_t i = pickLevel();
  const int64_t old = book(in, s)[i].lots;
  // Drift towards the depth profile, plus noise: sizes stay realistic however the book moved.
  const auto noise = static_cast<int64_t>(rng_.below(static_cast<uint64_t>(1 + old / 4)));
  int64_t lots = (3 * old + profileLots(in, i)) / 4 + (rng_.chance(0.5) ? noise : -noise);
  lots = std::max<int64_t>(1, lots);
  setLots(in, s, i, lots == old ? old + 1 : lots);
}

void SyntheticMarket::fillGap(Instrument& in) noexcept {
  const Side s = rng_.chance(0.5) ? Side::Buy : Side::Sell;
  const std::vector<Level>& lv = book(in, s);
  const size_t n = lv.size();
  const size_t start = static_cast<size_t>(rng_.below(n));
  for (size_t k = 0; k + 1 < n; ++k) {
    const size_t i = (start + k) % (n - 1);
    const int64_t gap = std::abs(lv[i + 1].ticks - lv[i].ticks);
    if (gap > 1) {
      const auto off = 1 + static_cast<int64_t>(rng_.below(static_cast<uint64_t>(gap - 1)));
      insert(in, s, s == Side::Buy ? lv[i].ticks - off : lv[i].ticks + off, profileLots(in, i + 1));
      return;
    }
  }
  perturb(in);
}

// ---- SyntheticMarket: book edits ----------------------------------------------------------

void SyntheticMarket::setLots(Instrument& in, Side s, size_t i, int64_t lots) noexcept {
  Level& l = book(in, s)[i];
  l.lots = lots;
  record(in, s, l.ticks, lots);
}

void SyntheticMarket::removeAt(Instrument& in, Side s, size_t i) noexcept {
  std::vector<Level>& lv = book(in, s);
  record(in, s, lv[i].ticks, 0);
  const int64_t worst = lv.back().ticks;
  std::copy(lv.begin() + static_cast<ptrdiff_t>(i) + 1, lv.end(), lv.begin() + static_cast<ptrdiff_t>(i));
  // A new deepest level comes into view so the book keeps book_depth levels.
  const int64_t gap = gapTicks(in, lv.size() - 1);
  lv.back() = {s == Side::Buy ? worst - gap : worst + gap, profileLots(in, lv.size() - 1)};
  record(in, s, lv.back().ticks, lv.back().lots);
}

void SyntheticMarket::insert(Instrument& in, Side s, int64_t ticks, int64_t lots) noexcept {
  std::vector<Level>& lv = book(in, s);
  const auto worse = [&](const Level& l) { return s == Side::Buy ? l.ticks < ticks : l.ticks > ticks; };
  const auto pos = std::find_if(lv.begin(), lv.end(), worse);
  if (pos == lv.end()) return;
  record(in, s, lv.back().ticks, 0);  // the deepest level drops out of view
  std::copy_backward(pos, lv.end() - 1, lv.end());
  *pos = {ticks, lots};
  record(in, s, ticks, lots);
}

void SyntheticMarket::record(const Instrument& in, Side s, int64_t ticks, int64_t lots) noexcept {
  const int64_t price = ticks * in.spec.tick_size;
  // A level touched twice in one action appears once, with its final quantity, as on a venue.
  for (size_t i = 0; i < batchCount_; ++i)
    if (batch_[i].side == s && batch_[i].price == price) {
      batch_[i].qty = lots * in.spec.lot_size;
      return;
    }
  if (batchCount_ == kMaxBatch) return;  // unreachable: actions stop short of kMaxBatch changes
  batch_[batchCount_] = {};
  batch_[batchCount_].price = price;
  batch_[batchCount_].qty = lots * in.spec.lot_size;
  batch_[batchCount_].side = s;
  ++batchCount_;
}

int64_t SyntheticMarket::profileLots(const Instrument& in, size_t level) noexcept {
  const double mean = in.base_lots * (1 + kLevelGrowth * static_cast<double>(level));
  return std::max<int64_t>(1, static_cast<int64_t>(mean * (0.3 + 1.4 * rng_.uniform()) + 0.5));
}

int64_t SyntheticMarket::gapTicks(const Instrument& in, size_t level) noexcept {
  // Levels spread out as the price moves more ticks per second, so the book spans a similar
  // share of a second's move whatever the tick (a move stales about as many levels on every
  // instrument), and thin out away from the touch, as on venues.
  const double volTicks = cfg_.volatility_bps_per_sqrt_s * 1e-4 * in.fair;
  const double depth = static_cast<double>(cfg_.book_depth);
  const double mean = kGapBase + kBookSpan * volTicks / depth * 2 * (static_cast<double>(level) + 0.5) / depth;
  return 1 + static_cast<int64_t>(std::min(rng_.exponential(mean), 1e9));
}

size_t SyntheticMarket::pickLevel() noexcept {
  // Most activity is near the touch.
  const double depth = static_cast<double>(cfg_.book_depth);
  return static_cast<size_t>(std::min(rng_.exponential(std::max(1.0, depth / 5)), depth - 1));
}

SyntheticMarket::Top SyntheticMarket::top(const Instrument& in) noexcept {
  return {in.bids[0].ticks, in.bids[0].lots, in.asks[0].ticks, in.asks[0].lots};
}

double SyntheticMarket::mid(const Instrument& in) noexcept {
  return 0.5 * static_cast<double>(in.bids[0].ticks + in.asks[0].ticks);
}

// ---- SyntheticMarket: output --------------------------------------------------------------

template <class E>
E& SyntheticMarket::pushEvent(const Instrument& in, uint16_t size) noexcept {
  common::EventBuffer& b = queue_[tail_++];
  std::memset(b.bytes, 0, size);  // padding too: sessions must be byte-identical
  E& e = b.as<E>();
  e.header = common::makeHeader<E>(in.spec.exchange, in.spec.id, actionTs_, receiveTs_, size);
  return e;
}

void SyntheticMarket::pushDelta(const Instrument& in, const common::PriceLevelUpdate* levels, size_t n,
                                uint16_t flags, uint64_t first, uint64_t last, uint64_t prev) noexcept {
  using common::BookDelta;
  for (size_t off = 0; off < n; off += BookDelta::kMaxLevels) {
    const auto count = static_cast<uint16_t>(std::min<size_t>(BookDelta::kMaxLevels, n - off));
    auto& d = pushEvent<BookDelta>(in, BookDelta::sizeFor(count));
    d.first_update_id = first;
    d.last_update_id = last;
    d.prev_update_id = prev;
    d.count = count;
    uint16_t f = off == 0 ? flags : static_cast<uint16_t>(flags & ~BookDelta::kClearBook);
    if (off + count < n) f |= BookDelta::kContinuation;
    d.flags = f;
    d.header.flags = f;
    std::memcpy(d.levels, levels + off, count * sizeof(common::PriceLevelUpdate));
  }
}

void SyntheticMarket::pushBatch(Instrument& in) noexcept {
  if (batchCount_ == 0) return;
  const uint64_t prev = in.update_id;
  in.update_id += batchCount_;
  pushDelta(in, batch_, batchCount_, 0, prev + 1, in.update_id, prev);
}

void SyntheticMarket::pushBbo(const Instrument& in) noexcept {
  auto& q = pushEvent<common::BestBidOffer>(in);
  q.bid_price = in.bids[0].ticks * in.spec.tick_size;
  q.bid_qty = in.bids[0].lots * in.spec.lot_size;
  q.ask_price = in.asks[0].ticks * in.spec.tick_size;
  q.ask_qty = in.asks[0].lots * in.spec.lot_size;
  q.update_id = in.update_id;
}

}  // namespace hft::gateways
