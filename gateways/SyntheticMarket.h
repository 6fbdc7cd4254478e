#pragma once
// A deterministic synthetic market: L2 books, trades and quotes for a set of instruments,
// generated in event time only (never the wall clock), so the same config and seed always
// give the same bytes. Pure generator, no I/O; SyntheticGateway drives it for the datafeed.
#include <cstdint>
#include <vector>

#include "common/Events.h"
#include "common/Xoshiro256.h"

namespace hft::gateways {

/// One simulated instrument. Prices and quantities are raw fixed-point integers; every
/// emitted price is a multiple of tick_size and every quantity a multiple of lot_size.
struct SyntheticInstrument {
  common::InstrumentId id = 0;
  common::ExchangeId exchange = common::ExchangeId::Simulated;
  int64_t start_price = 0;  ///< first best bid (ask one tick above); on the tick grid, >= minStartTicks() ticks
  int64_t tick_size = 1;
  int64_t lot_size = 1;
  int price_scale = 0;      ///< decimals of raw prices (carried for consumers; the model works in ticks)
  int qty_scale = 0;
  int64_t touch_qty = 0;    ///< typical raw qty at the touch (deeper levels hold more); 0 = 20 lots
};

struct SyntheticConfig {
  std::vector<SyntheticInstrument> instruments;
  uint64_t seed = 42;
  common::TimestampNs start_ns = 1'700'000'000'000'000'000;  ///< event-time origin
  uint64_t max_events = 0;                 ///< 0 = unbounded
  double events_per_second = 20'000;       ///< mean calm event rate, all instruments together
  int book_depth = 20;                     ///< levels per side, kept full at all times
  double volatility_bps_per_sqrt_s = 5.0;  ///< calm volatility of each fair mid
  double trend_regime_mean_s = 30;         ///< mean length of an up / down / flat drift regime
  double burst_probability = 0.01;         ///< chance a calm instrument starts a burst within one second
  double burst_multiplier = 20;            ///< event rate x this, volatility x sqrt(this) in a burst
  double burst_mean_s = 2.0;               ///< mean burst length
};

/// common::Xoshiro256 with the few distributions the market needs. Our own
/// code rather than <random> distributions or libm's log, whose results differ between
/// standard library versions and would break byte-identical sessions.
class SyntheticRandom {
 public:
  explicit SyntheticRandom(uint64_t seed) noexcept;
  uint64_t nextU64() noexcept;
  double uniform() noexcept;                 ///< [0, 1), 53 random bits
  uint64_t below(uint64_t n) noexcept;       ///< [0, n); n > 0
  bool chance(double p) noexcept { return uniform() < p; }
  double exponential(double mean) noexcept;  ///< mean > 0
  double normal() noexcept;                  ///< standard normal (Marsaglia polar)

 private:
  common::Xoshiro256 gen_;
  double spare_ = 0;
  bool hasSpare_ = false;
};

/// log(x), x > 0, from + - * / only, so the result is the same bits on every platform.
double portableLog(double x) noexcept;

/// Generates the event stream. Construction validates the config (throws
/// std::invalid_argument) and allocates everything; next() never allocates nor throws.
///
/// Stream: for each instrument a BookSnapshot (top 10), the full book as BookDelta pieces
/// flagged kClearBook (first piece) | kFromSnapshot, and a BestBidOffer, all at start_ns.
/// Then, in time order, actions of one instrument at a time: a BookDelta of 1-6 level
/// changes (up to 16 when the book catches up with a jump), or a Trade at the touch followed
/// by the BookDelta that removes the traded quantity; either followed by a BestBidOffer when
/// the top of book (price or size) changed. Each side always shows book_depth levels.
/// Update ids are per instrument and contiguous: first_update_id = previous last_update_id
/// + 1, prev_update_id = previous last_update_id. sequence and publish_ts_ns are left 0 for
/// the publisher; receive_ts_ns = exchange_ts_ns + a simulated latency (non-decreasing).
class SyntheticMarket {
 public:
  explicit SyntheticMarket(SyntheticConfig cfg);

  /// Writes the next event (header.size bytes) into `out`. Returns false once max_events
  /// events were generated. Single-threaded: the caller owns the generator.
  [[nodiscard]] bool next(common::EventBuffer& out) noexcept;
  uint64_t generated() const noexcept { return generated_; }
  /// True when a bounded run has produced all its events.
  bool exhausted() const noexcept { return cfg_.max_events != 0 && generated_ >= cfg_.max_events; }
  const SyntheticConfig& config() const noexcept { return cfg_; }

  /// Smallest start price (in ticks) accepted for a book of `depth` levels: keeps the deepest
  /// bid well above zero however far the market falls.
  static int64_t minStartTicks(int depth) noexcept { return 2 * floorTicks(depth); }

 private:
  struct Level {
    int64_t ticks;  ///< price / tick_size
    int64_t lots;   ///< qty / lot_size, > 0
  };
  enum class Regime : uint8_t { Flat = 0, Up = 1, Down = 2 };
  struct Instrument {
    SyntheticInstrument spec;
    std::vector<Level> bids;  ///< best (highest) first, exactly book_depth levels
    std::vector<Level> asks;  ///< best (lowest) first, exactly book_depth levels
    double fair = 0;          ///< latent fair mid in ticks the book chases
    double base_lots = 0;     ///< mean touch size; deeper levels hold more
    Regime regime = Regime::Flat;
    common::TimestampNs last_ns = 0;        ///< time of the previous action
    common::TimestampNs next_ns = 0;        ///< time of the next action
    common::TimestampNs regime_end_ns = 0;
    common::TimestampNs burst_end_ns = 0;   ///< 0 when calm
    common::TimestampNs next_burst_ns = 0;  ///< when calm: the next burst starts here
    uint64_t update_id = 0;                 ///< last book update id emitted
    uint64_t trade_id = 0;
  };
  struct Top {
    int64_t bid, bid_lots, ask, ask_lots;
    bool operator==(const Top&) const = default;
  };
  static constexpr size_t kMaxChanges = 6;  ///< level changes of an ordinary action
  static constexpr size_t kMaxBatch = common::BookDelta::kMaxLevels;  ///< of a catch-up after a jump: one piece

  static int64_t floorTicks(int depth) noexcept { return 8 * static_cast<int64_t>(depth) + 64; }

  void emitInitial(Instrument& in) noexcept;
  void act() noexcept;
  void setTimes(common::TimestampNs t) noexcept;
  void advance(Instrument& in, common::TimestampNs t) noexcept;
  Regime pickRegime() noexcept;
  common::TimestampNs nextBurst(common::TimestampNs t) noexcept;

  // Actions (lag = fair - book mid, in ticks).
  void trade(Instrument& in, double lag) noexcept;
  void quote(Instrument& in) noexcept;
  void recentre(Instrument& in, double lag, size_t limit) noexcept;
  void improve(Instrument& in, double lag, size_t limit) noexcept;
  void join(Instrument& in, common::Side s, int64_t price, size_t limit) noexcept;
  void perturb(Instrument& in) noexcept;
  void fillGap(Instrument& in) noexcept;

  // Book edits; each records the level changes it makes in batch_.
  void setLots(Instrument& in, common::Side s, size_t i, int64_t lots) noexcept;
  void removeAt(Instrument& in, common::Side s, size_t i) noexcept;
  void insert(Instrument& in, common::Side s, int64_t ticks, int64_t lots) noexcept;
  void record(const Instrument& in, common::Side s, int64_t ticks, int64_t lots) noexcept;

  int64_t profileLots(const Instrument& in, size_t level) noexcept;
  int64_t gapTicks(const Instrument& in, size_t level) noexcept;
  size_t pickLevel() noexcept;
  static std::vector<Level>& book(Instrument& in, common::Side s) noexcept {
    return s == common::Side::Buy ? in.bids : in.asks;
  }
  static Top top(const Instrument& in) noexcept;
  static double mid(const Instrument& in) noexcept;

  // Event output into queue_; all events of one action share exchange and receive times.
  template <class E>
  E& pushEvent(const Instrument& in, uint16_t size = sizeof(E)) noexcept;
  void pushDelta(const Instrument& in, const common::PriceLevelUpdate* levels, size_t n, uint16_t flags,
                 uint64_t first, uint64_t last, uint64_t prev) noexcept;
  void pushBatch(Instrument& in) noexcept;
  void pushBbo(const Instrument& in) noexcept;

  SyntheticConfig cfg_;
  SyntheticRandom rng_;
  std::vector<Instrument> instruments_;
  std::vector<common::EventBuffer> queue_;         ///< events of the current action, sized at construction
  std::vector<common::PriceLevelUpdate> initial_;  ///< scratch for the full initial book
  size_t head_ = 0;
  size_t tail_ = 0;
  size_t initialized_ = 0;  ///< instruments whose initial book was emitted
  common::PriceLevelUpdate batch_[kMaxBatch]{};
  size_t batchCount_ = 0;
  double actionRate_ = 0;   ///< calm actions per second per instrument
  double trendPerS_ = 0;    ///< drift of a trend regime, as a fraction of the mid per second
  common::TimestampNs actionTs_ = 0;
  common::TimestampNs receiveTs_ = 0;
  uint64_t generated_ = 0;
};

}  // namespace hft::gateways
