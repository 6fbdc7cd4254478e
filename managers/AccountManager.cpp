#include "managers/AccountManager.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "common/Int128.h"
#include "config/JsonNode.h"
#include "managers/RiskLimits.h"
#include "managers/TableKeys.h"

namespace hft::managers {

namespace {

using common::Int128;
using common::Side;
using config::JsonNode;

using keys::assetCode;
using keys::assetName;
using keys::homeSlot;

uint64_t balanceKey(common::ExchangeId venue, uint64_t asset) noexcept {
  return asset ^ (static_cast<uint64_t>(venue) * 0xC2B2AE3D27D4EB4Full);
}

/// v (10^-fromScale units) at kAmountScale, rounded up (reservations) or toward zero (fills).
int64_t toAmount(Int128 v, int fromScale, bool roundUp) noexcept {
  const int shift = fromScale - common::kAmountScale;
  if (shift <= 0) return static_cast<int64_t>(v * common::pow10(-shift));
  const int64_t div = common::pow10(shift);
  Int128 q = v / div;
  if (roundUp && q * div != v && v > 0) ++q;
  return static_cast<int64_t>(q);
}

constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();

uint64_t readU64(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "an unsigned integer");
  // Text parses non-negative integers as unsigned; a document built in code may hold them signed.
  if (n.json().is_number_unsigned()) return n.json().get<uint64_t>();
  if (n.json().is_number_integer() && n.json().get<int64_t>() >= 0) return static_cast<uint64_t>(n.json().get<int64_t>());
  n.fail("an unsigned integer");
}

common::ExchangeId readVenue(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "a venue name");
  const common::ExchangeId id = common::exchangeFromString(n.asString().c_str());
  if (id == common::ExchangeId::None) n.fail("a venue name (binance, binance_futures, upbit, bithumb, simulated)");
  return id;
}

}  // namespace

AccountManager::AccountManager(const config::InstrumentRegistry& registry, AccountManagerSizes sizes) : sizes_(sizes) {
  if (sizes.max_balances == 0 || sizes.max_reservations == 0)
    throw std::invalid_argument("AccountManager: max_balances and max_reservations must be > 0");
  common::InstrumentId maxId = 0;
  for (const config::Instrument& i : registry.all()) maxId = std::max(maxId, i.id);
  instruments_.assign(static_cast<size_t>(maxId) + 1, InstrumentInfo{});
  for (const config::Instrument& i : registry.all()) {
    InstrumentInfo& in = instruments_[i.id];
    in.venue = i.exchange;
    in.margin = RiskLimits::isFuturesVenue(i.exchange);
    in.price_scale = i.price_scale;
    in.qty_scale = i.qty_scale;
    in.base = assetCode(i.base);
    in.quote = assetCode(i.quote);
  }
  // Both tables at most half full: probes stay short and always meet an empty slot.
  const uint64_t balanceCap = std::bit_ceil(std::max<uint64_t>(2ull * sizes.max_balances, 16));
  balances_.assign(balanceCap, Balance{});
  balanceMask_ = balanceCap - 1;
  balanceShift_ = 64 - std::countr_zero(balanceCap);
  const uint64_t tableCap = std::bit_ceil(std::max<uint64_t>(2ull * sizes.max_reservations, 16));
  table_.assign(tableCap, Reservation{});
  tableMask_ = tableCap - 1;
  tableShift_ = 64 - std::countr_zero(tableCap);
}

const AccountManager::InstrumentInfo* AccountManager::info(common::InstrumentId id) const noexcept {
  if (id >= instruments_.size() || instruments_[id].venue == common::ExchangeId::None) return nullptr;
  return &instruments_[id];
}

// ---- tables --------------------------------------------------------------------------------

int32_t AccountManager::findBalance(common::ExchangeId venue, uint64_t asset) const noexcept {
  if (asset == 0) return kNone;
  for (size_t i = homeSlot(balanceKey(venue, asset), balanceShift_);; i = (i + 1) & balanceMask_) {
    const Balance& b = balances_[i];
    if (b.asset == 0) return kNone;
    if (b.asset == asset && b.venue == venue) return static_cast<int32_t>(i);
  }
}

int32_t AccountManager::balanceSlot(common::ExchangeId venue, uint64_t asset) noexcept {
  if (const int32_t b = findBalance(venue, asset); b != kNone || asset == 0) return b;
  if (balanceCount_ >= sizes_.max_balances) {
    ++counters_.table_full;
    return kNone;
  }
  size_t i = homeSlot(balanceKey(venue, asset), balanceShift_);
  while (balances_[i].asset != 0) i = (i + 1) & balanceMask_;
  balances_[i] = Balance{};
  balances_[i].venue = venue;
  balances_[i].asset = asset;
  ++balanceCount_;
  return static_cast<int32_t>(i);
}

int32_t AccountManager::findReservation(common::ClientOrderId id) const noexcept {
  if (id == 0) return kNone;
  for (size_t i = homeSlot(id, tableShift_);; i = (i + 1) & tableMask_) {
    if (table_[i].id == id) return static_cast<int32_t>(i);
    if (table_[i].id == 0) return kNone;
  }
}

int32_t AccountManager::insertReservation(common::ClientOrderId id) noexcept {
  if (reservations_ >= sizes_.max_reservations) {
    ++counters_.table_full;
    return kNone;
  }
  size_t i = homeSlot(id, tableShift_);
  while (table_[i].id != 0) i = (i + 1) & tableMask_;
  table_[i] = Reservation{};
  table_[i].id = id;
  ++reservations_;
  return static_cast<int32_t>(i);
}

void AccountManager::eraseReservation(int32_t slot) noexcept {
  // Backward-shift deletion: no tombstones, so lookups never slow down with churn.
  size_t hole = static_cast<size_t>(slot);
  for (size_t j = (hole + 1) & tableMask_; table_[j].id != 0; j = (j + 1) & tableMask_) {
    const size_t home = homeSlot(table_[j].id, tableShift_);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    table_[hole] = table_[j];
    hole = j;
  }
  table_[hole] = Reservation{};
  --reservations_;
}

int64_t AccountManager::reservationAmount(const InstrumentInfo& in, Side side, int64_t price,
                                          int64_t qty) const noexcept {
  if (qty <= 0) return 0;
  if (side == Side::Buy) return toAmount(static_cast<Int128>(price) * qty, in.price_scale + in.qty_scale, true);
  return toAmount(qty, in.qty_scale, true);
}

// ---- feeds ---------------------------------------------------------------------------------

bool AccountManager::onBalance(const common::BalanceUpdate& u) noexcept {
  const int32_t bi = balanceSlot(u.header.exchange_id, assetCode(u.asset));
  if (bi == kNone) return false;
  Balance& b = balances_[static_cast<size_t>(bi)];
  const common::TimestampNs ts = u.header.exchange_ts_ns;
  if (ts != 0 && b.venue_ts != 0 && ts < b.venue_ts) {
    ++counters_.stale_updates;
    return false;
  }
  b.venue_free = u.free;
  b.venue_locked = u.locked;
  b.shadow_free = 0;
  b.shadow_locked = 0;
  b.venue_ts = ts;
  ++counters_.updates;
  return true;
}

bool AccountManager::onFill(const common::ExecutionReport& r) noexcept {
  const InstrumentInfo* in = info(r.header.instrument_id);
  if (r.last_qty <= 0 || !in || (r.side != Side::Buy && r.side != Side::Sell)) return false;
  const bool buy = r.side == Side::Buy;

  int64_t released = 0;  // the part of the order's reservation this fill used up
  bool lockedAtVenue = false;
  if (const int32_t ri = findReservation(r.client_order_id); ri != kNone) {
    Reservation& x = table_[static_cast<size_t>(ri)];
    x.remaining = std::max<int64_t>(0, x.remaining - r.last_qty);
    const int64_t left = reservationAmount(*in, x.side, x.price, x.remaining);
    released = x.amount - left;
    x.amount = left;
    balances_[static_cast<size_t>(x.balance)].reserved -= released;
    lockedAtVenue = x.venue_locks;
    if (x.remaining == 0) {
      balances_[static_cast<size_t>(x.balance)].reserved -= x.amount;
      eraseReservation(ri);
    }
  }
  if (in->margin) return true;

  const common::TimestampNs ts = r.venue_ts_ns ? r.venue_ts_ns : r.header.exchange_ts_ns;
  bool moved = false;
  auto shift = [&](uint64_t asset, int64_t dFree, int64_t dLocked) {
    const int32_t bi = balanceSlot(in->venue, asset);
    if (bi == kNone) return;
    Balance& b = balances_[static_cast<size_t>(bi)];
    if (ts != 0 && b.venue_ts != 0 && ts <= b.venue_ts) return;  // the venue's update already has it
    b.shadow_free += dFree;
    b.shadow_locked += dLocked;
    moved = true;
  };
  const int64_t notional =
      toAmount(static_cast<Int128>(r.last_price) * r.last_qty, in->price_scale + in->qty_scale, false);
  const int64_t qtyAmount = toAmount(r.last_qty, in->qty_scale, false);
  const int64_t spent = buy ? notional : qtyAmount;
  const int64_t received = buy ? qtyAmount : notional;
  if (lockedAtVenue)  // the fill spends what the venue had locked; a better price frees the rest
    shift(buy ? in->quote : in->base, released - spent, -released);
  else
    shift(buy ? in->quote : in->base, -spent, 0);
  shift(buy ? in->base : in->quote, received, 0);
  if (r.fee != 0) {
    const uint64_t feeAsset = assetCode(r.fee_asset);
    shift(feeAsset != 0 ? feeAsset : in->quote, -r.fee, 0);
  }
  ++(moved ? counters_.shadow_fills : counters_.covered_fills);
  return true;
}

// ---- reservations --------------------------------------------------------------------------

ReserveResult AccountManager::reserve(const common::OrderRequest& r, int64_t price) noexcept {
  if ((r.action != common::OrderAction::New && r.action != common::OrderAction::Modify) || r.client_order_id == 0 ||
      r.qty <= 0 || (r.side != Side::Buy && r.side != Side::Sell))
    return ReserveResult::InvalidRequest;
  const InstrumentInfo* in = info(r.header.instrument_id);
  if (!in) return ReserveResult::UnknownInstrument;
  if (in->margin) return ReserveResult::NotNeeded;
  const int64_t p = r.price > 0 ? r.price : r.stop_price > 0 ? r.stop_price : price;
  if (r.side == Side::Buy && p <= 0) return ReserveResult::NoPrice;
  if (findReservation(r.client_order_id) != kNone) return ReserveResult::DuplicateId;
  const int64_t amount = reservationAmount(*in, r.side, p, r.qty);
  if (amount <= 0) return ReserveResult::NotNeeded;
  const int32_t bi = balanceSlot(in->venue, r.side == Side::Buy ? in->quote : in->base);
  if (bi == kNone) return ReserveResult::TableFull;
  const int32_t ri = insertReservation(r.client_order_id);
  if (ri == kNone) return ReserveResult::TableFull;
  Reservation& x = table_[static_cast<size_t>(ri)];
  x.balance = bi;
  x.instrument = r.header.instrument_id;
  x.side = r.side;
  x.price = p;
  x.remaining = r.qty;
  x.amount = amount;
  x.venue_locks = r.type != common::OrderType::Market;
  balances_[static_cast<size_t>(bi)].reserved += amount;
  return ReserveResult::Reserved;
}

bool AccountManager::onAmended(common::ClientOrderId oldId, common::ClientOrderId newId, int64_t price,
                               int64_t remainingQty) noexcept {
  const int32_t ri = findReservation(oldId);
  if (ri == kNone || newId == 0) return false;
  Reservation x = table_[static_cast<size_t>(ri)];
  balances_[static_cast<size_t>(x.balance)].reserved -= x.amount;
  eraseReservation(ri);
  if (remainingQty <= 0 || findReservation(newId) != kNone) return true;  // nothing left to reserve
  const InstrumentInfo& in = instruments_[x.instrument];
  x.id = newId;
  if (price > 0) x.price = price;
  x.remaining = remainingQty;
  x.amount = reservationAmount(in, x.side, x.price, x.remaining);
  const int32_t ni = insertReservation(newId);  // the slot just freed makes room
  table_[static_cast<size_t>(ni)] = x;
  balances_[static_cast<size_t>(x.balance)].reserved += x.amount;
  return true;
}

void AccountManager::release(common::ClientOrderId id) noexcept {
  const int32_t ri = findReservation(id);
  if (ri == kNone) return;
  const Reservation& x = table_[static_cast<size_t>(ri)];
  balances_[static_cast<size_t>(x.balance)].reserved -= x.amount;
  eraseReservation(ri);
}

// ---- queries -------------------------------------------------------------------------------

BalanceView AccountManager::view(const Balance& b) noexcept {
  BalanceView v;
  v.free = b.venue_free + b.shadow_free;
  v.locked = b.venue_locked + b.shadow_locked;
  v.reserved = b.reserved;
  v.available = std::min(v.free, v.free + v.locked - v.reserved);
  v.venue_ts = b.venue_ts;
  v.known = true;
  return v;
}

BalanceView AccountManager::balance(common::ExchangeId venue, std::string_view asset) const noexcept {
  const int32_t bi = findBalance(venue, assetCode(asset));
  return bi == kNone ? BalanceView{} : view(balances_[static_cast<size_t>(bi)]);
}

int64_t AccountManager::available(common::ExchangeId venue, std::string_view asset) const noexcept {
  return balance(venue, asset).available;
}

int64_t AccountManager::reservedBy(common::ClientOrderId id) const noexcept {
  const int32_t ri = findReservation(id);
  return ri == kNone ? 0 : table_[static_cast<size_t>(ri)].amount;
}

std::vector<BalanceMismatch> AccountManager::reconcile(common::ExchangeId venue,
                                                       std::span<const VenueAmount> venueBalances,
                                                       int64_t tolerance) const {
  std::vector<BalanceMismatch> out;
  std::vector<bool> listed(balances_.size(), false);
  auto differs = [tolerance](int64_t a, int64_t b) {
    const Int128 d = static_cast<Int128>(a) - b;
    return (d < 0 ? -d : d) > tolerance;
  };
  for (const VenueAmount& v : venueBalances) {
    const int32_t bi = findBalance(venue, assetCode(v.asset));
    BalanceView ours;
    if (bi != kNone) {
      listed[static_cast<size_t>(bi)] = true;
      ours = view(balances_[static_cast<size_t>(bi)]);
    }
    if (differs(ours.free, v.free) || differs(ours.locked, v.locked))
      out.push_back({std::string(v.asset.substr(0, 8)), ours.free, ours.locked, v.free, v.locked});
  }
  for (size_t i = 0; i < balances_.size(); ++i) {
    const Balance& b = balances_[i];
    if (b.asset == 0 || b.venue != venue || listed[i]) continue;
    const BalanceView ours = view(b);
    if (differs(ours.free, 0) || differs(ours.locked, 0))
      out.push_back({assetName(b.asset), ours.free, ours.locked, 0, 0});
  }
  std::sort(out.begin(), out.end(), [](const BalanceMismatch& a, const BalanceMismatch& b) { return a.asset < b.asset; });
  return out;
}

// ---- snapshot ------------------------------------------------------------------------------

nlohmann::json AccountManager::toJson() const {
  std::vector<const Balance*> bals;
  for (const Balance& b : balances_)
    if (b.asset != 0) bals.push_back(&b);
  std::sort(bals.begin(), bals.end(), [](const Balance* a, const Balance* b) {
    return a->venue != b->venue ? a->venue < b->venue : assetName(a->asset) < assetName(b->asset);
  });
  nlohmann::json balances = nlohmann::json::array();
  for (const Balance* b : bals)
    balances.push_back({{"venue", common::toString(b->venue)},
                        {"asset", assetName(b->asset)},
                        {"free", b->venue_free},
                        {"locked", b->venue_locked},
                        {"shadow_free", b->shadow_free},
                        {"shadow_locked", b->shadow_locked},
                        {"venue_ts", b->venue_ts}});
  std::vector<const Reservation*> res;
  for (const Reservation& x : table_)
    if (x.id != 0) res.push_back(&x);
  std::sort(res.begin(), res.end(), [](const Reservation* a, const Reservation* b) { return a->id < b->id; });
  nlohmann::json reservations = nlohmann::json::array();
  for (const Reservation* x : res)
    reservations.push_back({{"id", x->id},
                            {"instrument", x->instrument},
                            {"side", common::toString(x->side)},
                            {"price", x->price},
                            {"remaining", x->remaining},
                            {"venue_locks", x->venue_locks}});
  return nlohmann::json{{"format", kFormat},
                        {"version", kVersion},
                        {"balances", balances},
                        {"reservations", reservations},
                        {"counters",
                         {{"updates", counters_.updates},
                          {"stale_updates", counters_.stale_updates},
                          {"shadow_fills", counters_.shadow_fills},
                          {"covered_fills", counters_.covered_fills},
                          {"table_full", counters_.table_full}}}};
}

AccountManager AccountManager::fromJson(const nlohmann::json& j, const config::InstrumentRegistry& registry,
                                        AccountManagerSizes sizes, const std::string& source) {
  AccountManager am(registry, sizes);
  const JsonNode root(j, source);
  root.expectObject({"format", "version", "balances", "reservations", "counters"});
  if (root.requiredString("format") != kFormat) root.child("format", "").fail(std::string("\"") + kFormat + "\"");
  if (root.requiredInt("version", 0, kMaxI64) != kVersion)
    root.child("version", "").fail("version " + std::to_string(kVersion) + " (the only one this build reads)");

  for (const JsonNode& n : root.child("balances", "an array of balances").elements()) {
    n.expectObject({"venue", "asset", "free", "locked", "shadow_free", "shadow_locked", "venue_ts"});
    const common::ExchangeId venue = readVenue(n, "venue");
    const JsonNode assetNode = n.child("asset", "an asset code");
    const std::string asset = assetNode.asString();
    if (asset.empty() || asset.size() > 8) assetNode.fail("an asset code of 1 to 8 characters");
    if (am.findBalance(venue, assetCode(asset)) != kNone) n.fail("each (venue, asset) once", "a repeat");
    const int32_t bi = am.balanceSlot(venue, assetCode(asset));
    if (bi == kNone) n.fail("at most " + std::to_string(sizes.max_balances) + " balances (max_balances)", "one more");
    Balance& b = am.balances_[static_cast<size_t>(bi)];
    b.venue_free = n.requiredInt("free", kMinI64, kMaxI64);
    b.venue_locked = n.requiredInt("locked", kMinI64, kMaxI64);
    b.shadow_free = n.requiredInt("shadow_free", kMinI64, kMaxI64);
    b.shadow_locked = n.requiredInt("shadow_locked", kMinI64, kMaxI64);
    b.venue_ts = n.requiredInt("venue_ts", kMinI64, kMaxI64);
  }
  for (const JsonNode& n : root.child("reservations", "an array of reservations").elements()) {
    n.expectObject({"id", "instrument", "side", "price", "remaining", "venue_locks"});
    common::OrderRequest r{};
    r.action = common::OrderAction::New;
    r.client_order_id = readU64(n, "id");
    r.header.instrument_id =
        static_cast<common::InstrumentId>(n.requiredInt("instrument", 1, config::InstrumentRegistry::kMaxId));
    const std::string side = n.requiredString("side");
    r.side = side == "buy" ? Side::Buy : side == "sell" ? Side::Sell : Side::None;
    if (r.side == Side::None) n.child("side", "").fail("buy or sell");
    r.price = n.requiredInt("price", 0, kMaxI64);
    r.qty = n.requiredInt("remaining", 1, kMaxI64);
    r.type = n.child("venue_locks", "true or false").asBool() ? common::OrderType::Limit : common::OrderType::Market;
    switch (am.reserve(r)) {
      case ReserveResult::Reserved: break;
      case ReserveResult::UnknownInstrument:
      case ReserveResult::NotNeeded:
        n.child("instrument", "").fail("a spot instrument of the registry");
      case ReserveResult::DuplicateId: n.child("id", "").fail("an id held once");
      case ReserveResult::NoPrice: n.child("price", "").fail("a price > 0 for a buy");
      case ReserveResult::TableFull:
        n.fail("at most " + std::to_string(sizes.max_reservations) + " reservations and the balances they use",
               "one more");
      case ReserveResult::InvalidRequest: n.child("id", "").fail("an id other than 0");
    }
  }
  const JsonNode counters = root.child("counters", "an object");
  counters.expectObject({"updates", "stale_updates", "shadow_fills", "covered_fills", "table_full"});
  am.counters_.updates = readU64(counters, "updates");
  am.counters_.stale_updates = readU64(counters, "stale_updates");
  am.counters_.shadow_fills = readU64(counters, "shadow_fills");
  am.counters_.covered_fills = readU64(counters, "covered_fills");
  am.counters_.table_full = readU64(counters, "table_full");
  return am;
}

}  // namespace hft::managers
