#include "managers/RiskLimits.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/events/ExecutionReport.h"  // kAmountScale
#include "config/ConfigError.h"
#include "config/JsonNode.h"
#include "config/VenueSymbol.h"
#include "managers/TokenBucket.h"

namespace hft::managers {

namespace {

using config::JsonNode;

constexpr int kRateScale = 3;                  // orders_per_second: thousandths
constexpr int kLeverageScale = 2;              // max_leverage: hundredths
constexpr int64_t kMaxLeverageX100 = 100'000;  // 1000x: anything above is a typo

std::string jsonText(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

/// "<exchange>:<venue symbol>" -> the registry's instrument; fails at `at` otherwise.
const config::Instrument& instrumentByKey(const JsonNode& at, const std::string& key,
                                          const config::InstrumentRegistry& registry) {
  constexpr std::string_view kExpected =
      "an instrument as \"<exchange>:<venue symbol>\" (e.g. \"binance:BTCUSDT\") listed in the instruments file";
  const size_t colon = key.find(':');
  if (colon == std::string::npos) at.fail(kExpected, jsonText(key));
  const std::string exchangeName = key.substr(0, colon);
  const common::ExchangeId exchange = common::exchangeFromString(exchangeName.c_str());
  if (exchange == common::ExchangeId::None) at.fail(kExpected, jsonText(key) + " (unknown exchange)");
  const config::Instrument* inst = registry.byVenueSymbol(exchange, std::string_view(key).substr(colon + 1));
  if (!inst) at.fail(kExpected, jsonText(key) + " (no such instrument)");
  return *inst;
}

common::StrategyId strategyIdByKey(const JsonNode& at, const std::string& key) {
  constexpr std::string_view kExpected = "a strategy id: a decimal integer from 1 to 4294967295 without leading zeros";
  const bool digits = !key.empty() && key.size() <= 10 && key[0] != '0' &&
                      std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) at.fail(kExpected, jsonText(key));
  const uint64_t v = std::stoull(key);
  if (v > 0xFFFF'FFFFull) at.fail(kExpected, jsonText(key));
  return static_cast<common::StrategyId>(v);
}

/// "rate_limit": {"orders_per_second": "4", "burst": 6} or "none".
RateLimit readRate(const JsonNode& n) {
  if (n.json().is_string()) {
    if (n.asString() != "none") n.fail("an object {\"orders_per_second\", \"burst\"} or \"none\"");
    return RateLimit{};
  }
  n.expectObject({"orders_per_second", "burst"});
  RateLimit r;
  const JsonNode rate = n.child("orders_per_second", "a decimal string > 0 with at most 3 decimals");
  r.rate_milli = rate.asDecimal(kRateScale, 1, "orders per second: a decimal string from 0.001 to 1000000");
  if (r.rate_milli > TokenBucket::kMaxRateMilli) rate.fail("orders per second: a decimal string from 0.001 to 1000000");
  r.burst = n.requiredInt("burst", 1, TokenBucket::kMaxBurst);
  return r;
}

NoReferencePolicy readNoReference(const JsonNode& n) {
  const std::string v = n.asString();
  if (v == "reject") return NoReferencePolicy::Reject;
  if (v == "allow") return NoReferencePolicy::Allow;
  n.fail("\"reject\" or \"allow\"");
}

GlobalLimits readGlobal(const JsonNode& n) {
  n.expectObject({"max_open_orders", "daily_loss_limit", "no_reference_price", "strict_strategies", "loss_currency",
                  "loss_rates"});
  GlobalLimits g;
  if (n.has("loss_currency")) {
    const JsonNode c = n.child("loss_currency", "");
    if (!c.json().is_string() || !config::isAssetCode(c.asString())) c.fail("an asset code (\"USDT\")");
    g.loss_currency = c.asString();
  }
  if (n.has("loss_rates"))
    for (const auto& [asset, rate] : n.child("loss_rates", "").members()) {
      if (!config::isAssetCode(asset)) rate.fail("an asset code as the key", jsonText(asset));
      g.loss_rates.emplace_back(asset, rate.asDecimal(kLossRateScale, 1, "a rate > 0 into loss_currency, at most 12 decimals "
                                                                          "(e.g. \"0.000725\" for KRW -> USDT)"));
    }
  g.max_open_orders = n.requiredInt("max_open_orders", 1, RiskLimits::kMaxOpenOrders);
  g.daily_loss_limit = n.optionalDecimal("daily_loss_limit", common::kAmountScale, 0,
                                         "an amount >= 0 with at most 8 decimals", kNoLimit);
  if (n.has("no_reference_price")) g.no_reference = readNoReference(n.child("no_reference_price", ""));
  g.strict_strategies = n.optionalBool("strict_strategies", true);
  return g;
}

InstrumentLimits readInstrument(const JsonNode& n, const config::Instrument& inst) {
  n.expectObject({"max_order_qty", "max_order_notional", "max_position", "price_band_bps"});
  const std::string qtyDecimals = std::to_string(inst.qty_scale);
  std::string positiveQty = "a quantity > 0 with at most ";
  positiveQty.append(qtyDecimals).append(" decimals (the instrument's qty_scale)");
  std::string qty = "a quantity >= 0 with at most ";
  qty.append(qtyDecimals).append(" decimals (the instrument's qty_scale)");
  InstrumentLimits l;
  l.instrument = inst.id;
  l.max_order_qty = n.requiredDecimal("max_order_qty", inst.qty_scale, 1, positiveQty);
  l.max_order_notional =
      n.requiredDecimal("max_order_notional", common::kAmountScale, 1, "an amount > 0 with at most 8 decimals");
  l.max_position = n.requiredDecimal("max_position", inst.qty_scale, 0, qty);
  l.price_band_bps = n.requiredInt("price_band_bps", 1, 10'000);
  return l;
}

StrategyLimits readStrategy(const JsonNode& n, common::StrategyId id, const config::InstrumentRegistry& registry,
                            const std::vector<InstrumentLimits>& instruments) {
  n.expectObject({"name", "max_open_orders", "rate_limit", "daily_loss_limit", "max_position"});
  StrategyLimits s;
  s.id = id;
  s.name = n.optionalString("name", "");
  s.max_open_orders = n.optionalInt("max_open_orders", 1, RiskLimits::kMaxOpenOrders, kNoLimit);
  if (n.has("rate_limit")) s.rate = readRate(n.child("rate_limit", ""));
  s.daily_loss_limit = n.optionalDecimal("daily_loss_limit", common::kAmountScale, 0,
                                         "an amount >= 0 with at most 8 decimals", kNoLimit);
  if (n.has("max_position")) {
    for (const auto& [key, node] : n.child("max_position", "").members()) {
      const config::Instrument& inst = instrumentByKey(node, key, registry);
      const bool configured = std::any_of(instruments.begin(), instruments.end(),
                                          [&](const InstrumentLimits& l) { return l.instrument == inst.id; });
      if (!configured) node.fail("an instrument that also has an entry under \"instruments\"", jsonText(key));
      std::string expected = "a quantity >= 0 with at most ";
      expected.append(std::to_string(inst.qty_scale)).append(" decimals (the instrument's qty_scale)");
      s.max_position.push_back({inst.id, node.asDecimal(inst.qty_scale, 0, expected)});
    }
  }
  return s;
}

VenueLimits readVenue(const JsonNode& n, common::ExchangeId venue) {
  n.expectObject({"rate_limit", "max_position_notional", "max_leverage", "check_balance"});
  VenueLimits v;
  v.venue = venue;
  v.rate = n.has("rate_limit") ? readRate(n.child("rate_limit", "")) : RiskLimits::defaultVenueRate(venue);
  v.max_position_notional = n.optionalDecimal("max_position_notional", common::kAmountScale, 0,
                                              "an amount >= 0 with at most 8 decimals", kNoLimit);
  const bool futures = RiskLimits::isFuturesVenue(venue);
  if (n.has("max_leverage")) {
    const JsonNode lev = n.child("max_leverage", "");
    if (!futures) lev.fail("no max_leverage on a spot venue (it applies to binance_futures)");
    constexpr std::string_view kExpected = "a leverage from 1 to 1000 with at most 2 decimals";
    v.max_leverage_x100 = lev.asDecimal(kLeverageScale, 100, kExpected);
    if (v.max_leverage_x100 > kMaxLeverageX100) lev.fail(kExpected);
  }
  if (n.has("check_balance")) {
    const JsonNode cb = n.child("check_balance", "");
    if (futures) cb.fail("no check_balance on a futures venue (margin is bounded by max_leverage)");
    v.check_balance = cb.asBool();
  } else {
    v.check_balance = !futures;
  }
  return v;
}

}  // namespace

RateLimit RiskLimits::defaultVenueRate(common::ExchangeId venue) noexcept {
  switch (venue) {
    // Spot ORDERS limits: 10 / 1 s (exchangeInfo doc example) and 50 / 10 s (live exchangeInfo,
    // 2021-10-22). 4/s with burst 6 admits <= 10 in any 1 s and <= 46 in any 10 s.
    case common::ExchangeId::Binance:
      return {4'000, 6};
    // USD-M ORDERS limits: 300 / 10 s and 1200 / 1 min (live exchangeInfo, 2022-02-19).
    // 18/s with burst 120 admits <= 300 in any 10 s and <= 1200 in any 60 s.
    case common::ExchangeId::BinanceFutures:
      return {18'000, 120};
    // Upbit order group: 8 / s (order-test page). 4/s with burst 4 admits <= 8 in any 1 s.
    case common::ExchangeId::Upbit:
      return {4'000, 4};
    // Bithumb's REST limits were not read: Upbit's figure, to be verified.
    case common::ExchangeId::Bithumb:
      return {4'000, 4};
    case common::ExchangeId::Simulated:
    case common::ExchangeId::None:
      return {};
  }
  return {};
}

bool RiskLimits::isFuturesVenue(common::ExchangeId venue) noexcept {
  return venue == common::ExchangeId::BinanceFutures;
}

RiskLimits RiskLimits::loadFile(const std::string& path, const config::InstrumentRegistry& registry) {
  const nlohmann::json j = config::readJsonFile(path);
  return fromJson(j, path, registry, std::filesystem::path(path).parent_path().string());
}

RiskLimits RiskLimits::fromJson(const nlohmann::json& j, const std::string& source,
                                const config::InstrumentRegistry& registry, const std::string& baseDir) {
  const JsonNode root(j, source);
  root.expectObject({"kill_switch_file", "global", "venues", "instruments", "strategies"});
  RiskLimits r;

  if (root.has("kill_switch_file")) {
    const JsonNode f = root.child("kill_switch_file", "");
    const std::string path = f.asString();
    if (path.empty()) f.fail("a file path (omit the key for no kill-switch file)");
    r.kill_switch_file = baseDir.empty() || std::filesystem::path(path).is_absolute()
                             ? path
                             : (std::filesystem::path(baseDir) / path).lexically_normal().string();
  }

  r.global = readGlobal(root.child("global", "an object with at least \"max_open_orders\""));

  for (const auto& [key, node] :
       root.child("instruments", "an object keyed by \"<exchange>:<venue symbol>\"").members())
    r.instruments.push_back(readInstrument(node, instrumentByKey(node, key, registry)));

  if (root.has("strategies"))
    for (const auto& [key, node] : root.child("strategies", "").members())
      r.strategies.push_back(readStrategy(node, strategyIdByKey(node, key), registry, r.instruments));

  // Daily losses are counted in one currency: with a loss limit set, every tradable instrument's
  // quote must be that currency or have a rate into it.
  const bool lossLimited = r.global.daily_loss_limit != kNoLimit ||
                           std::any_of(r.strategies.begin(), r.strategies.end(),
                                       [](const StrategyLimits& s) { return s.daily_loss_limit != kNoLimit; });
  if (lossLimited)
    for (const InstrumentLimits& l : r.instruments) {
      const config::Instrument* inst = registry.byId(l.instrument);
      if (inst->quote == r.global.loss_currency) continue;
      if (std::any_of(r.global.loss_rates.begin(), r.global.loss_rates.end(),
                      [&](const auto& rate) { return rate.first == inst->quote; }))
        continue;
      const JsonNode g = root.child("global", "");
      std::string found = "none for ";
      found.append(inst->quote).append(" (").append(common::toString(inst->exchange)).append(":").append(inst->venue_symbol);
      found.append(" is quoted in it; losses are counted in ").append(r.global.loss_currency).append(")");
      if (g.has("loss_rates"))
        g.child("loss_rates", "").fail("a rate for every quote currency of the instruments", found);
      g.fail("\"loss_rates\" with a rate for every quote currency other than loss_currency", found);
    }

  if (root.has("venues")) {
    for (const auto& [key, node] : root.child("venues", "").members()) {
      const common::ExchangeId venue = common::exchangeFromString(key.c_str());
      if (venue == common::ExchangeId::None)
        node.fail("a venue: binance, binance_futures, upbit, bithumb or simulated", jsonText(key));
      r.venues.push_back(readVenue(node, venue));

      // A venue notional sums positions across instruments: only meaningful in one currency.
      const VenueLimits& v = r.venues.back();
      if (v.max_position_notional == kNoLimit && v.max_leverage_x100 == 0) continue;
      const config::Instrument* first = nullptr;
      for (const InstrumentLimits& l : r.instruments) {
        const config::Instrument* inst = registry.byId(l.instrument);
        if (inst->exchange != venue) continue;
        if (!first)
          first = inst;
        else if (inst->quote != first->quote) {
          std::string found = first->venue_symbol;
          found.append(" quoted in ").append(first->quote).append(" and ").append(inst->venue_symbol);
          found.append(" quoted in ").append(inst->quote);
          node.fail(
              "a venue whose configured instruments share one quote asset (for max_position_notional and "
              "max_leverage)",
              found);
        }
      }
    }
  }
  // Every venue that has an instrument gets an entry: defaults where the file says nothing.
  for (const InstrumentLimits& l : r.instruments) {
    const common::ExchangeId venue = registry.byId(l.instrument)->exchange;
    if (r.venue(venue)) continue;
    VenueLimits v;
    v.venue = venue;
    v.rate = defaultVenueRate(venue);
    v.check_balance = !isFuturesVenue(venue);
    r.venues.push_back(v);
  }
  return r;
}

const InstrumentLimits* RiskLimits::instrument(common::InstrumentId id) const noexcept {
  for (const InstrumentLimits& l : instruments)
    if (l.instrument == id) return &l;
  return nullptr;
}

const StrategyLimits* RiskLimits::strategy(common::StrategyId id) const noexcept {
  for (const StrategyLimits& s : strategies)
    if (s.id == id) return &s;
  return nullptr;
}

const VenueLimits* RiskLimits::venue(common::ExchangeId id) const noexcept {
  for (const VenueLimits& v : venues)
    if (v.venue == id) return &v;
  return nullptr;
}

}  // namespace hft::managers
