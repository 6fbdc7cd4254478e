#include "managers/TradeManager.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "config/JsonNode.h"
#include "managers/TableKeys.h"

namespace hft::managers {

namespace {

using common::Int128;
using config::JsonNode;

using keys::assetCode;
using keys::assetName;
using keys::homeSlot;

uint64_t slotKey(common::StrategyId s, common::InstrumentId i) noexcept { return (static_cast<uint64_t>(s) << 32) | i; }

/// cost x part / whole without overflowing 128 bits: cost / whole is about a price.
Int128 proportion(Int128 cost, int64_t part, int64_t whole) noexcept {
  if (part == whole) return cost;
  return cost / whole * part + cost % whole * part / whole;
}

Int128 pow10i(int n) noexcept {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string toDecimal(Int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  }
  if (negative) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();

Int128 readInt128(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "a decimal integer string");
  const std::string s = n.asString();
  constexpr Int128 kLimit = (static_cast<Int128>(1) << 125);  // far above any cost, far below overflow
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) n.fail("a decimal integer string");
  Int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || v > kLimit) n.fail("a decimal integer string within 2^125");
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

uint64_t asU64(const JsonNode& n) {
  // Text parses non-negative integers as unsigned; a document built in code may hold them signed.
  if (n.json().is_number_unsigned()) return n.json().get<uint64_t>();
  if (n.json().is_number_integer() && n.json().get<int64_t>() >= 0) return static_cast<uint64_t>(n.json().get<int64_t>());
  n.fail("an unsigned integer");
}

uint64_t readU64(const JsonNode& parent, std::string_view key) { return asU64(parent.child(key, "an unsigned integer")); }

common::ExchangeId readVenue(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "a venue name");
  const common::ExchangeId id = common::exchangeFromString(n.asString().c_str());
  if (id == common::ExchangeId::None) n.fail("a venue name (binance, binance_futures, upbit, bithumb, simulated)");
  return id;
}

std::string readAsset(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "an asset code");
  std::string s = n.asString();
  if (s.empty() || s.size() > 8) n.fail("an asset code of 1 to 8 characters");
  return s;
}

void checkHeader(const JsonNode& root, const char* format, int version) {
  if (root.requiredString("format") != format) root.child("format", "").fail(std::string("\"") + format + "\"");
  if (root.requiredInt("version", 0, kMaxI64) != version)
    root.child("version", "").fail("version " + std::to_string(version) + " (the only one this build reads)");
}

}  // namespace

TradeManager::TradeManager(const config::InstrumentRegistry& registry, TradeManagerSizes sizes) : sizes_(sizes) {
  if (sizes.max_positions == 0 || sizes.max_fee_entries == 0)
    throw std::invalid_argument("TradeManager: max_positions and max_fee_entries must be > 0");
  common::InstrumentId maxId = 0;
  for (const config::Instrument& i : registry.all()) maxId = std::max(maxId, i.id);
  instruments_.assign(static_cast<size_t>(maxId) + 1, InstrumentInfo{});
  for (const config::Instrument& i : registry.all()) {
    InstrumentInfo& in = instruments_[i.id];
    in.venue = i.exchange;
    in.price_scale = i.price_scale;
    in.qty_scale = i.qty_scale;
    in.quote = assetCode(i.quote);
    auto g = std::find_if(groups_.begin(), groups_.end(),
                          [&](const Group& x) { return x.base == i.base && x.quote == i.quote; });
    if (g == groups_.end()) {
      groups_.push_back(Group{i.base, i.quote, {}, 0, 0});
      g = groups_.end() - 1;
    }
    g->members.push_back(i.id);
    g->qty_scale = std::max(g->qty_scale, i.qty_scale);
    g->price_scale = std::max(g->price_scale, i.price_scale);
    in.group = static_cast<int32_t>(g - groups_.begin());
  }
  // At most half full: probes stay short and always meet an empty slot.
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(2ull * sizes.max_positions, 16));
  slots_.assign(capacity, Slot{});
  slotMask_ = capacity - 1;
  slotShift_ = 64 - std::countr_zero(capacity);
  fees_.assign(sizes.max_fee_entries, FeeEntry{});
}

const TradeManager::InstrumentInfo* TradeManager::info(common::InstrumentId id) const noexcept {
  if (id >= instruments_.size() || instruments_[id].venue == common::ExchangeId::None) return nullptr;
  return &instruments_[id];
}

int32_t TradeManager::findSlot(common::StrategyId strategy, common::InstrumentId instrument) const noexcept {
  if (instrument == 0) return kNone;
  for (size_t i = homeSlot(slotKey(strategy, instrument), slotShift_);; i = (i + 1) & slotMask_) {
    const Slot& s = slots_[i];
    if (s.instrument == 0) return kNone;
    if (s.instrument == instrument && s.strategy == strategy) return static_cast<int32_t>(i);
  }
}

int32_t TradeManager::insertSlot(common::StrategyId strategy, common::InstrumentId instrument) noexcept {
  if (positions_ >= sizes_.max_positions) return kNone;
  size_t i = homeSlot(slotKey(strategy, instrument), slotShift_);
  while (slots_[i].instrument != 0) i = (i + 1) & slotMask_;
  slots_[i] = Slot{};
  slots_[i].strategy = strategy;
  slots_[i].instrument = instrument;
  ++positions_;
  return static_cast<int32_t>(i);
}

// ---- fills and marks -----------------------------------------------------------------------

FillResult TradeManager::onFill(const common::ExecutionReport& r) noexcept {
  auto done = [this](FillResult x) {
    ++counters_.results[static_cast<size_t>(x)];
    return x;
  };
  if (r.last_qty == 0) return done(FillResult::NotAFill);
  const InstrumentInfo* in = info(r.header.instrument_id);
  if (!in) return done(FillResult::UnknownInstrument);
  if (r.last_qty < 0 || r.last_price <= 0 || (r.side != common::Side::Buy && r.side != common::Side::Sell))
    return done(FillResult::InvalidFill);
  int32_t si = findSlot(r.strategy_id, r.header.instrument_id);
  if (si == kNone) si = insertSlot(r.strategy_id, r.header.instrument_id);
  if (si == kNone) return done(FillResult::TableFull);
  Book& b = slots_[static_cast<size_t>(si)].book;
  Book& total = instruments_[r.header.instrument_id].total;

  const bool buy = r.side == common::Side::Buy;
  const int64_t traded = r.last_qty;
  const int64_t signedQty = buy ? traded : -traded;
  const Int128 costBefore = b.cost;
  Int128 realizedRaw = 0;  // price*qty units
  if (b.qty == 0 || (b.qty > 0) == buy) {
    b.qty += signedQty;
    b.cost += static_cast<Int128>(r.last_price) * signedQty;
  } else {
    const int64_t held = b.qty > 0 ? b.qty : -b.qty;
    const int64_t closed = std::min(held, traded);
    const Int128 costClosed = proportion(b.cost, closed, held);  // signed like the position
    const Int128 proceeds = static_cast<Int128>(r.last_price) * closed;
    realizedRaw = b.qty > 0 ? proceeds - costClosed : -proceeds - costClosed;
    b.cost -= costClosed;
    b.qty += buy ? closed : -closed;
    if (const int64_t rest = traded - closed; rest > 0) {  // crossed zero: the rest opens here
      b.qty = buy ? rest : -rest;
      b.cost = static_cast<Int128>(r.last_price) * b.qty;
    }
    if (b.qty == 0) b.cost = 0;
  }
  const int64_t realized = common::scaleProduct(realizedRaw, in->price_scale, in->qty_scale, common::kAmountScale);
  const int64_t notional = common::scaleProduct(static_cast<Int128>(r.last_price) * traded, in->price_scale,
                                                in->qty_scale, common::kAmountScale);
  const uint64_t feeAsset = assetCode(r.fee_asset);
  const bool quoteFee = feeAsset == 0 || feeAsset == in->quote;
  for (Book* x : {&b, &total}) {
    x->realized += realized;
    x->volume += notional;
    (buy ? x->bought : x->sold) += traded;
    ++x->fills;
    if (quoteFee) x->fees += r.fee;
  }
  total.qty += signedQty;
  total.cost += b.cost - costBefore;
  if (!quoteFee && r.fee != 0) addFee(r.strategy_id, in->venue, feeAsset, r.fee);
  return done(FillResult::Booked);
}

void TradeManager::addFee(common::StrategyId strategy, common::ExchangeId venue, uint64_t asset,
                          int64_t amount) noexcept {
  for (FeeEntry& f : fees_) {
    if (f.asset == 0) f = FeeEntry{strategy, venue, asset, 0};
    if (f.asset == asset && f.strategy == strategy && f.venue == venue) {
      f.amount += amount;
      return;
    }
  }
  ++counters_.fees_dropped;
}

bool TradeManager::onMark(common::InstrumentId instrument, int64_t price) noexcept {
  if (price <= 0 || !info(instrument)) return false;
  instruments_[instrument].mark = price;
  return true;
}

int64_t TradeManager::mark(common::InstrumentId instrument) const noexcept {
  const InstrumentInfo* in = info(instrument);
  return in ? in->mark : 0;
}

// ---- queries -------------------------------------------------------------------------------

int64_t TradeManager::unrealized(const Book& b, const InstrumentInfo& in) const noexcept {
  if (in.mark <= 0 || b.qty == 0) return 0;
  return common::scaleProduct(static_cast<Int128>(b.qty) * in.mark - b.cost, in.price_scale, in.qty_scale,
                              common::kAmountScale);
}

PositionView TradeManager::view(const Book& b, common::InstrumentId instrument) const noexcept {
  PositionView v;
  v.qty = b.qty;
  v.avg_entry_price = b.qty != 0 ? static_cast<int64_t>(b.cost / b.qty) : 0;
  v.realized_pnl = b.realized;
  v.unrealized_pnl = unrealized(b, instruments_[instrument]);
  v.fees = b.fees;
  v.volume = b.volume;
  v.bought_qty = b.bought;
  v.sold_qty = b.sold;
  v.fills = b.fills;
  return v;
}

PositionView TradeManager::position(common::StrategyId strategy, common::InstrumentId instrument) const noexcept {
  const int32_t s = findSlot(strategy, instrument);
  return s == kNone ? PositionView{} : view(slots_[static_cast<size_t>(s)].book, instrument);
}

PositionView TradeManager::instrumentPosition(common::InstrumentId instrument) const noexcept {
  return info(instrument) ? view(instruments_[instrument].total, instrument) : PositionView{};
}

UnifiedPosition TradeManager::unifiedGroup(int32_t group) const noexcept {
  UnifiedPosition u;
  if (group == kNone) return u;
  const Group& g = groups_[static_cast<size_t>(group)];
  u.qty_scale = g.qty_scale;
  u.price_scale = g.price_scale;
  u.instruments = static_cast<int>(g.members.size());
  PositionView& t = u.total;
  Int128 costAmount = 0;  // kAmountScale
  for (const common::InstrumentId id : g.members) {
    const InstrumentInfo& in = instruments_[id];
    const Book& b = in.total;
    const int64_t up = common::pow10(g.qty_scale - in.qty_scale);  // exact: the group's scale is the largest
    t.qty += b.qty * up;
    t.bought_qty += b.bought * up;
    t.sold_qty += b.sold * up;
    t.realized_pnl += b.realized;
    t.unrealized_pnl += unrealized(b, in);
    t.fees += b.fees;
    t.volume += b.volume;
    t.fills += b.fills;
    costAmount += common::scaleProduct(b.cost, in.price_scale, in.qty_scale, common::kAmountScale);
  }
  if (t.qty != 0) {
    // cost (10^-8) / qty (10^-qs) = price (10^-(8 - qs)); bring it to the group's price scale.
    const int shift = g.price_scale + g.qty_scale - common::kAmountScale;
    const Int128 num = shift >= 0 ? costAmount * pow10i(shift) : costAmount / pow10i(-shift);
    t.avg_entry_price = static_cast<int64_t>(num / t.qty);
  }
  return u;
}

UnifiedPosition TradeManager::unified(std::string_view base, std::string_view quote) const noexcept {
  for (size_t g = 0; g < groups_.size(); ++g)
    if (groups_[g].base == base && groups_[g].quote == quote) return unifiedGroup(static_cast<int32_t>(g));
  return UnifiedPosition{};
}

UnifiedPosition TradeManager::unifiedOf(common::InstrumentId instrument) const noexcept {
  const InstrumentInfo* in = info(instrument);
  return in ? unifiedGroup(in->group) : UnifiedPosition{};
}

int64_t TradeManager::otherFees(common::StrategyId strategy, common::ExchangeId venue,
                                std::string_view asset) const noexcept {
  const uint64_t code = assetCode(asset);
  for (const FeeEntry& f : fees_)
    if (f.asset == code && f.strategy == strategy && f.venue == venue) return f.amount;
  return 0;
}

common::PositionUpdate TradeManager::positionUpdate(common::StrategyId strategy, common::InstrumentId instrument,
                                                    common::TimestampNs now) const noexcept {
  common::PositionUpdate u{};
  const InstrumentInfo* in = info(instrument);
  u.header = common::makeHeader<common::PositionUpdate>(in ? in->venue : common::ExchangeId::None, instrument, now, now);
  const PositionView v = position(strategy, instrument);
  u.qty = v.qty;
  u.avg_entry_price = v.avg_entry_price;
  u.realized_pnl = v.realized_pnl;
  u.unrealized_pnl = v.unrealized_pnl;
  u.fees = v.fees;
  u.strategy_id = strategy;
  u.position_side = common::PositionSide::Both;
  return u;
}

// ---- daily rows ----------------------------------------------------------------------------

void TradeManager::beginDay(common::TimestampNs dayStart) noexcept {
  dayStart_ = dayStart;
  for (Slot& s : slots_) {
    if (s.instrument == 0) continue;
    s.dayBase = s.book;
    s.unrealizedAtStart = unrealized(s.book, instruments_[s.instrument]);
  }
}

std::vector<DailyPnlRow> TradeManager::dailyPnl() const {
  std::vector<DailyPnlRow> rows;
  for (const Slot& s : slots_) {
    if (s.instrument == 0) continue;
    const Book& b = s.book;
    const Book& d = s.dayBase;
    if (b.fills == d.fills && b.qty == 0 && s.unrealizedAtStart == 0) continue;  // nothing today
    DailyPnlRow row;
    row.day_start_ns = dayStart_;
    row.strategy = s.strategy;
    row.venue = instruments_[s.instrument].venue;
    row.instrument = s.instrument;
    row.realized_pnl = b.realized - d.realized;
    row.unrealized_pnl = unrealized(b, instruments_[s.instrument]);
    row.unrealized_at_start = s.unrealizedAtStart;
    row.fees = b.fees - d.fees;
    row.volume = b.volume - d.volume;
    row.bought_qty = b.bought - d.bought;
    row.sold_qty = b.sold - d.sold;
    row.position = b.qty;
    row.fills = b.fills - d.fills;
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const DailyPnlRow& a, const DailyPnlRow& b) {
    return a.strategy != b.strategy ? a.strategy < b.strategy : a.instrument < b.instrument;
  });
  return rows;
}

// ---- snapshot ------------------------------------------------------------------------------

nlohmann::json TradeManager::toJson() const {
  std::vector<const Slot*> sorted;
  for (const Slot& s : slots_)
    if (s.instrument != 0) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](const Slot* a, const Slot* b) {
    return a->strategy != b->strategy ? a->strategy < b->strategy : a->instrument < b->instrument;
  });
  auto counts = [](const Book& b) {
    return nlohmann::json{{"realized", b.realized}, {"fees", b.fees},     {"volume", b.volume},
                          {"bought", b.bought},     {"sold", b.sold},     {"fills", b.fills}};
  };
  nlohmann::json positions = nlohmann::json::array();
  for (const Slot* s : sorted) {
    nlohmann::json p = counts(s->book);
    p["strategy"] = s->strategy;
    p["instrument"] = s->instrument;
    p["qty"] = s->book.qty;
    p["cost"] = toDecimal(s->book.cost);
    nlohmann::json day = counts(s->dayBase);
    day["unrealized_at_start"] = s->unrealizedAtStart;
    p["day_base"] = day;
    positions.push_back(p);
  }
  nlohmann::json marks = nlohmann::json::array();
  for (size_t i = 0; i < instruments_.size(); ++i)
    if (instruments_[i].mark > 0) marks.push_back({{"instrument", i}, {"price", instruments_[i].mark}});
  nlohmann::json fees = nlohmann::json::array();
  for (const FeeEntry& f : fees_)
    if (f.asset != 0)
      fees.push_back({{"strategy", f.strategy},
                      {"venue", common::toString(f.venue)},
                      {"asset", assetName(f.asset)},
                      {"amount", f.amount}});
  nlohmann::json results = nlohmann::json::array();
  for (uint64_t c : counters_.results) results.push_back(c);
  return nlohmann::json{{"format", kFormat},
                        {"version", kVersion},
                        {"day_start", dayStart_},
                        {"positions", positions},
                        {"marks", marks},
                        {"other_fees", fees},
                        {"counters", {{"fill_results", results}, {"fees_dropped", counters_.fees_dropped}}}};
}

TradeManager TradeManager::fromJson(const nlohmann::json& j, const config::InstrumentRegistry& registry,
                                    TradeManagerSizes sizes, const std::string& source) {
  TradeManager tm(registry, sizes);
  const JsonNode root(j, source);
  root.expectObject({"format", "version", "day_start", "positions", "marks", "other_fees", "counters"});
  checkHeader(root, kFormat, kVersion);
  tm.dayStart_ = root.requiredInt("day_start", kMinI64, kMaxI64);

  auto instrumentOf = [&](const JsonNode& n) {
    const auto id = static_cast<common::InstrumentId>(n.requiredInt("instrument", 1, config::InstrumentRegistry::kMaxId));
    if (!tm.info(id)) n.child("instrument", "").fail("an instrument id of the registry");
    return id;
  };
  auto readCounts = [](const JsonNode& n, Book& b) {
    b.realized = n.requiredInt("realized", kMinI64, kMaxI64);
    b.fees = n.requiredInt("fees", kMinI64, kMaxI64);
    b.volume = n.requiredInt("volume", 0, kMaxI64);
    b.bought = n.requiredInt("bought", 0, kMaxI64);
    b.sold = n.requiredInt("sold", 0, kMaxI64);
    b.fills = readU64(n, "fills");
  };
  for (const JsonNode& n : root.child("positions", "an array of positions").elements()) {
    n.expectObject({"strategy", "instrument", "qty", "cost", "realized", "fees", "volume", "bought", "sold", "fills",
                    "day_base"});
    const auto strategy =
        static_cast<common::StrategyId>(n.requiredInt("strategy", 0, std::numeric_limits<uint32_t>::max()));
    const common::InstrumentId instrument = instrumentOf(n);
    if (tm.findSlot(strategy, instrument) != kNone) n.fail("each (strategy, instrument) once", "a repeat");
    const int32_t si = tm.insertSlot(strategy, instrument);
    if (si == kNone) n.fail("at most " + std::to_string(sizes.max_positions) + " positions (max_positions)", "one more");
    Slot& s = tm.slots_[static_cast<size_t>(si)];
    s.book.qty = n.requiredInt("qty", kMinI64 + 1, kMaxI64);
    s.book.cost = readInt128(n, "cost");
    if ((s.book.qty == 0) != (s.book.cost == 0))
      n.child("cost", "").fail("a cost that is 0 exactly when qty is 0");
    readCounts(n, s.book);
    const JsonNode day = n.child("day_base", "an object");
    day.expectObject({"realized", "fees", "volume", "bought", "sold", "fills", "unrealized_at_start"});
    readCounts(day, s.dayBase);
    s.unrealizedAtStart = day.requiredInt("unrealized_at_start", kMinI64, kMaxI64);
    Book& total = tm.instruments_[instrument].total;
    total.qty += s.book.qty;
    total.cost += s.book.cost;
    total.realized += s.book.realized;
    total.fees += s.book.fees;
    total.volume += s.book.volume;
    total.bought += s.book.bought;
    total.sold += s.book.sold;
    total.fills += s.book.fills;
  }
  for (const JsonNode& n : root.child("marks", "an array of marks").elements()) {
    n.expectObject({"instrument", "price"});
    tm.instruments_[instrumentOf(n)].mark = n.requiredInt("price", 1, kMaxI64);
  }
  for (const JsonNode& n : root.child("other_fees", "an array of fees").elements()) {
    n.expectObject({"strategy", "venue", "asset", "amount"});
    const auto strategy =
        static_cast<common::StrategyId>(n.requiredInt("strategy", 0, std::numeric_limits<uint32_t>::max()));
    const common::ExchangeId venue = readVenue(n, "venue");
    const uint64_t asset = assetCode(readAsset(n, "asset"));
    const uint64_t dropped = tm.counters_.fees_dropped;
    tm.addFee(strategy, venue, asset, n.requiredInt("amount", kMinI64, kMaxI64));
    if (tm.counters_.fees_dropped != dropped)
      n.fail("at most " + std::to_string(sizes.max_fee_entries) + " fee entries (max_fee_entries)", "one more");
  }
  const JsonNode counters = root.child("counters", "an object");
  counters.expectObject({"fill_results", "fees_dropped"});
  const std::vector<JsonNode> results = counters.child("fill_results", "an array").elements();
  if (results.size() != kFillResultCount)
    counters.child("fill_results", "").fail("an array of " + std::to_string(kFillResultCount) + " counts");
  for (size_t i = 0; i < results.size(); ++i) tm.counters_.results[i] = asU64(results[i]);
  tm.counters_.fees_dropped = readU64(counters, "fees_dropped");
  return tm;
}

}  // namespace hft::managers
