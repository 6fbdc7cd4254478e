#include "api/exchanges/binance/ExchangeFilters.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "common/FixedPoint.h"
#include "common/Int128.h"
#include "common/events/ExecutionReport.h"  // kAmountScale
#include "config/InstrumentRegistry.h"

namespace hft::api::binance {

namespace od = simdjson::ondemand;
using common::Int128;
using common::OrderType;
using common::ParseStatus;
using common::RejectReason;

// ---------------------------------------------------------------------------------------------
// check()

namespace {

/// a (at scale sa) compared with b (at scale sb), exactly: -1, 0, 1.
int compareScaled(Int128 a, int sa, Int128 b, int sb) noexcept {
  for (; sa < sb; ++sa) a *= 10;
  for (; sb < sa; ++sb) b *= 10;
  return a < b ? -1 : a > b ? 1 : 0;
}

RejectReason priceRule(int64_t p, const SymbolFilters& f) noexcept {
  if (p <= 0) return RejectReason::InvalidPrice;
  if ((f.min_price != 0 && p < f.min_price) || (f.max_price != 0 && p > f.max_price)) return RejectReason::InvalidPrice;
  if (f.tick_size != 0 && p % f.tick_size != 0) return RejectReason::OffTickPrice;
  return RejectReason::None;
}

RejectReason qtyRule(int64_t q, int64_t minQty, int64_t maxQty, int64_t step) noexcept {
  if (minQty != 0 && q < minQty) return RejectReason::InvalidQuantity;
  if (maxQty != 0 && q > maxQty) return RejectReason::MaxOrderQuantity;
  if (step != 0 && (q - minQty) % step != 0) return RejectReason::OffLotQuantity;
  return RejectReason::None;
}

}  // namespace

RejectReason check(const common::OrderRequest& r, const SymbolFilters& f, int64_t refPrice) noexcept {
  if (r.action == common::OrderAction::Cancel) return RejectReason::None;
  if (r.qty <= 0) return RejectReason::InvalidQuantity;
  const bool priced = r.type == OrderType::Limit || r.type == OrderType::StopLimit;
  const bool triggered = r.type == OrderType::StopMarket || r.type == OrderType::StopLimit || r.type == OrderType::TakeProfit;
  // Executes as a market order: the market notional and lot rules apply.
  const bool marketLike = r.type == OrderType::Market || r.type == OrderType::StopMarket || r.type == OrderType::TakeProfit;

  if (priced)
    if (auto rr = priceRule(r.price, f); rr != RejectReason::None) return rr;
  if (triggered)
    if (auto rr = priceRule(r.stop_price, f); rr != RejectReason::None) return rr;
  if (auto rr = qtyRule(r.qty, f.min_qty, f.max_qty, f.step_size); rr != RejectReason::None) return rr;
  if (marketLike)
    if (auto rr = qtyRule(r.qty, f.market_min_qty, f.market_max_qty, f.market_step_size); rr != RejectReason::None)
      return rr;

  // Notional at the price the order would trade: its limit, its trigger, or the reference.
  const int64_t px = priced ? r.price : triggered ? r.stop_price : refPrice;
  if (px > 0) {
    const Int128 notional = static_cast<Int128>(px) * r.qty;  // at price_scale + qty_scale
    const int ns = f.price_scale + f.qty_scale;
    const int64_t minN = marketLike ? f.market_min_notional : f.min_notional;
    const int64_t maxN = marketLike ? f.market_max_notional : f.max_notional;
    const bool exempt = f.min_notional_reduce_only_exempt != 0 && r.reduce_only != 0;
    if (minN != 0 && !exempt && compareScaled(notional, ns, minN, common::kAmountScale) < 0)
      return RejectReason::BelowMinNotional;
    if (maxN != 0 && compareScaled(notional, ns, maxN, common::kAmountScale) > 0) return RejectReason::MaxOrderNotional;
  }

  // Price band around the reference, limit prices only.
  if (priced && refPrice > 0) {
    const bool buy = r.side == common::Side::Buy;
    const int64_t up = buy ? f.buy_mult_up : f.sell_mult_up;
    const int64_t down = buy ? f.buy_mult_down : f.sell_mult_down;
    const Int128 lhs = static_cast<Int128>(r.price) * common::pow10(kMultiplierScale);
    if (up != 0 && lhs > static_cast<Int128>(refPrice) * up) return RejectReason::PriceBand;
    if (down != 0 && lhs < static_cast<Int128>(refPrice) * down) return RejectReason::PriceBand;
  }
  return RejectReason::None;
}

// ---------------------------------------------------------------------------------------------
// parse()

namespace {

/// A value as read: text for strings, raw token for numbers/bools, with its byte offset.
struct Value {
  bool present = false;
  bool isString = false;
  std::string_view text;
  uint32_t offset = 0;
};

struct FilterText {
  std::string_view type;
  uint32_t offset;
  // Keys of every filter we read; a filter uses a few of them.
  Value minPrice, maxPrice, tickSize, minQty, maxQty, stepSize, minNotional, notional, maxNotional, applyToMarket,
      applyMinToMarket, applyMaxToMarket, multiplierUp, multiplierDown, bidUp, bidDown, askUp, askDown, maxNumOrders,
      limit;
  Value* slot(std::string_view k) noexcept {
    if (k == "minPrice") return &minPrice;
    if (k == "maxPrice") return &maxPrice;
    if (k == "tickSize") return &tickSize;
    if (k == "minQty") return &minQty;
    if (k == "maxQty") return &maxQty;
    if (k == "stepSize") return &stepSize;
    if (k == "minNotional") return &minNotional;
    if (k == "notional") return &notional;
    if (k == "maxNotional") return &maxNotional;
    if (k == "applyToMarket") return &applyToMarket;
    if (k == "applyMinToMarket") return &applyMinToMarket;
    if (k == "applyMaxToMarket") return &applyMaxToMarket;
    if (k == "multiplierUp") return &multiplierUp;
    if (k == "multiplierDown") return &multiplierDown;
    if (k == "bidMultiplierUp") return &bidUp;
    if (k == "bidMultiplierDown") return &bidDown;
    if (k == "askMultiplierUp") return &askUp;
    if (k == "askMultiplierDown") return &askDown;
    if (k == "maxNumOrders") return &maxNumOrders;
    if (k == "limit") return &limit;
    return nullptr;
  }
};

enum class Round : uint8_t {
  Exact,  ///< a grid (tick, step): must be representable at the scale
  Down,   ///< an upper bound: rounding down is the safe side; beyond int64 means "no bound"
  Up,     ///< a lower bound: rounding up is the safe side
};

/// Collects the first error as a message; every later call is a no-op.
struct Errors {
  std::string message;
  std::string_view symbol;
  size_t index = 0;

  bool fail(std::string_view where, std::string_view what, const Value* v) {
    if (!message.empty()) return false;
    message = "exchangeInfo: symbols[" + std::to_string(index) + "] ";
    message.append(symbol).append(": ").append(where);
    if (v != nullptr) {
      message.append(" \"").append(v->text).append("\" (offset ").append(std::to_string(v->offset)).append(")");
    }
    message.append(": ").append(what);
    return false;
  }

  /// A decimal string -> raw at `scale`, rounded as `round` says.
  bool decimal(const Value& v, std::string_view where, int scale, Round round, int64_t& out) {
    out = 0;
    if (!v.present) return true;  // absent: no such rule
    if (!v.isString) return fail(where, "expected a decimal string", &v);
    std::string_view text = v.text;
    bool cut = false;
    const size_t dot = text.find('.');
    if (round != Round::Exact && dot != std::string_view::npos && text.size() - dot - 1 > static_cast<size_t>(scale)) {
      for (size_t i = dot + 1 + static_cast<size_t>(scale); i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return fail(where, common::toString(ParseStatus::BadCharacter), &v);
        cut = cut || text[i] != '0';
      }
      text = text.substr(0, scale == 0 ? dot : dot + 1 + static_cast<size_t>(scale));
    }
    const ParseStatus ps = common::parseDecimal(text, scale, out);
    if (ps == ParseStatus::Overflow && round == Round::Down) {
      out = std::numeric_limits<int64_t>::max();  // a bound beyond anything we can express
      return true;
    }
    if (ps == ParseStatus::TooManyDecimals)
      return fail(where, "finer than the instrument's scale (" + std::to_string(scale) + " decimals)", &v);
    if (ps != ParseStatus::Ok) return fail(where, common::toString(ps), &v);
    if (out < 0) return fail(where, "negative", &v);
    if (cut && round == Round::Up) ++out;
    return true;
  }
  bool flag(const Value& v, std::string_view where, bool& out) {
    out = false;
    if (!v.present) return true;
    if (v.text == "true") out = true;
    else if (v.text != "false") return fail(where, "expected true or false", &v);
    return true;
  }
  bool count(const Value& v, std::string_view where, uint32_t& out) {
    out = 0;
    if (!v.present) return true;
    int64_t n = 0;
    if (common::parseDecimal(v.text, 0, n) != ParseStatus::Ok || n < 0 || n > std::numeric_limits<uint32_t>::max())
      return fail(where, "expected a count", &v);
    out = static_cast<uint32_t>(n);
    return true;
  }
};

simdjson::error_code readValue(od::value v, const char* base, Value& out) noexcept {
  out.present = true;
  out.offset = static_cast<uint32_t>(v.raw_json_token().data() - base);
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) {
    out.isString = true;
    return v.get_string().get(out.text);
  }
  out.isString = false;
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  out.text = raw;
  return simdjson::SUCCESS;
}

uint32_t intervalSeconds(std::string_view unit) noexcept {
  if (unit == "SECOND") return 1;
  if (unit == "MINUTE") return 60;
  if (unit == "HOUR") return 3600;
  if (unit == "DAY") return 86400;
  return 0;
}

}  // namespace

std::string ExchangeFilters::parse(Market market, std::string_view json, InstrumentResolver& resolver) {
  symbols_.clear();
  rateLimits_.clear();
  simdjson::padded_string padded(json);
  const char* base = padded.data();
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS)
    return "exchangeInfo: not a JSON object";

  auto jsonError = [&](const char* where) {
    const char* at = nullptr;
    const size_t off = doc.current_location().get(at) == simdjson::SUCCESS ? static_cast<size_t>(at - base) : json.size();
    return std::string("exchangeInfo: invalid JSON in ") + where + " (offset " + std::to_string(off) + ")";
  };

  Errors err;
  std::vector<FilterText> filters;
  size_t symbolIndex = 0;
  for (auto field : root) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS)
      return jsonError("the top-level object");

    if (key == "rateLimits") {
      od::array arr;
      if (v.get_array().get(arr) != simdjson::SUCCESS) return "exchangeInfo: rateLimits is not an array";
      for (auto element : arr) {
        od::object o;
        if (element.get_object().get(o) != simdjson::SUCCESS) return jsonError("rateLimits");
        Value type, interval, num, limit;
        for (auto f : o) {
          std::string_view k;
          od::value fv;
          if (f.unescaped_key().get(k) != simdjson::SUCCESS || f.value().get(fv) != simdjson::SUCCESS)
            return jsonError("rateLimits");
          Value* s = k == "rateLimitType" ? &type : k == "interval" ? &interval : k == "intervalNum" ? &num
                     : k == "limit" ? &limit : nullptr;
          if (s != nullptr && readValue(fv, base, *s) != simdjson::SUCCESS) return jsonError("rateLimits");
        }
        RateLimit rl{};
        if (type.text == "REQUEST_WEIGHT") rl.type = RateLimitType::RequestWeight;
        else if (type.text == "ORDERS") rl.type = RateLimitType::Orders;
        else if (type.text == "RAW_REQUESTS") rl.type = RateLimitType::RawRequests;
        else continue;  // a limit type we do not track (e.g. CONNECTIONS)
        int64_t n = 0, lim = 0;
        const uint32_t unit = intervalSeconds(interval.text);
        if (unit == 0 || common::parseDecimal(num.text, 0, n) != ParseStatus::Ok || n <= 0 ||
            common::parseDecimal(limit.text, 0, lim) != ParseStatus::Ok || lim <= 0)
          return "exchangeInfo: rateLimits entry at offset " + std::to_string(type.offset) +
                 " has a bad interval, intervalNum or limit";
        rl.intervalSeconds = static_cast<uint32_t>(n) * unit;
        rl.limit = lim;
        rateLimits_.push_back(rl);
      }
      continue;
    }
    if (key != "symbols") continue;

    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return "exchangeInfo: symbols is not an array";
    for (auto element : arr) {
      od::object o;
      if (element.get_object().get(o) != simdjson::SUCCESS) return jsonError("symbols");
      std::string_view symbol;
      filters.clear();
      for (auto f : o) {
        std::string_view k;
        od::value fv;
        if (f.unescaped_key().get(k) != simdjson::SUCCESS || f.value().get(fv) != simdjson::SUCCESS)
          return jsonError("symbols");
        if (k == "symbol") {
          if (fv.get_string().get(symbol) != simdjson::SUCCESS) return jsonError("symbols[].symbol");
        } else if (k == "filters") {
          od::array fa;
          if (fv.get_array().get(fa) != simdjson::SUCCESS) return jsonError("symbols[].filters");
          for (auto fe : fa) {
            od::value fev;
            od::object fo;
            if (fe.get(fev) != simdjson::SUCCESS) return jsonError("symbols[].filters");
            FilterText ft{};
            ft.offset = static_cast<uint32_t>(fev.raw_json_token().data() - base);
            if (fev.get_object().get(fo) != simdjson::SUCCESS) return jsonError("symbols[].filters");
            for (auto ff : fo) {
              std::string_view fk;
              od::value ffv;
              if (ff.unescaped_key().get(fk) != simdjson::SUCCESS || ff.value().get(ffv) != simdjson::SUCCESS)
                return jsonError("symbols[].filters");
              if (fk == "filterType") {
                if (ffv.get_string().get(ft.type) != simdjson::SUCCESS) return jsonError("filterType");
              } else if (Value* s = ft.slot(fk); s != nullptr) {
                if (readValue(ffv, base, *s) != simdjson::SUCCESS) return jsonError("symbols[].filters");
              }
            }
            filters.push_back(ft);
          }
        }
      }
      err.symbol = symbol;
      err.index = symbolIndex++;
      const config::Instrument* inst = symbol.empty() ? nullptr : resolver.resolve(market, symbol);
      if (inst == nullptr) continue;  // not traded here

      SymbolFilters sf{};
      sf.instrument = inst->id;
      sf.market = market;
      sf.price_scale = static_cast<int8_t>(inst->price_scale);
      sf.qty_scale = static_cast<int8_t>(inst->qty_scale);
      const int ps = inst->price_scale, qs = inst->qty_scale, as = common::kAmountScale;
      for (const FilterText& ft : filters) {
        bool ok = true;
        if (ft.type == "PRICE_FILTER") {
          ok = err.decimal(ft.minPrice, "PRICE_FILTER.minPrice", ps, Round::Up, sf.min_price) &&
               err.decimal(ft.maxPrice, "PRICE_FILTER.maxPrice", ps, Round::Down, sf.max_price) &&
               err.decimal(ft.tickSize, "PRICE_FILTER.tickSize", ps, Round::Exact, sf.tick_size);
        } else if (ft.type == "LOT_SIZE") {
          ok = err.decimal(ft.minQty, "LOT_SIZE.minQty", qs, Round::Up, sf.min_qty) &&
               err.decimal(ft.maxQty, "LOT_SIZE.maxQty", qs, Round::Down, sf.max_qty) &&
               err.decimal(ft.stepSize, "LOT_SIZE.stepSize", qs, Round::Exact, sf.step_size);
        } else if (ft.type == "MARKET_LOT_SIZE") {
          ok = err.decimal(ft.minQty, "MARKET_LOT_SIZE.minQty", qs, Round::Up, sf.market_min_qty) &&
               err.decimal(ft.maxQty, "MARKET_LOT_SIZE.maxQty", qs, Round::Down, sf.market_max_qty) &&
               err.decimal(ft.stepSize, "MARKET_LOT_SIZE.stepSize", qs, Round::Exact, sf.market_step_size);
        } else if (ft.type == "MIN_NOTIONAL") {
          int64_t minN = 0;
          bool toMarket = true;
          if (market == Market::UsdM) {
            // USD-M spells it `notional`; it applies to every order but reduce-only ones.
            if (!ft.notional.present) ok = err.fail("MIN_NOTIONAL.notional", "missing (USD-M spells it notional)", nullptr);
            ok = ok && err.decimal(ft.notional, "MIN_NOTIONAL.notional", as, Round::Up, minN);
            sf.min_notional_reduce_only_exempt = 1;
          } else {
            ok = err.decimal(ft.minNotional, "MIN_NOTIONAL.minNotional", as, Round::Up, minN) &&
                 err.flag(ft.applyToMarket, "MIN_NOTIONAL.applyToMarket", toMarket);
          }
          sf.min_notional = std::max(sf.min_notional, minN);
          if (toMarket) sf.market_min_notional = std::max(sf.market_min_notional, minN);
        } else if (ft.type == "NOTIONAL") {
          int64_t minN = 0, maxN = 0;
          bool minToMarket = false, maxToMarket = false;
          ok = err.decimal(ft.minNotional, "NOTIONAL.minNotional", as, Round::Up, minN) &&
               err.decimal(ft.maxNotional, "NOTIONAL.maxNotional", as, Round::Down, maxN) &&
               err.flag(ft.applyMinToMarket, "NOTIONAL.applyMinToMarket", minToMarket) &&
               err.flag(ft.applyMaxToMarket, "NOTIONAL.applyMaxToMarket", maxToMarket);
          // Several notional filters: each applies, so the tightest bound wins.
          sf.min_notional = std::max(sf.min_notional, minN);
          if (minToMarket) sf.market_min_notional = std::max(sf.market_min_notional, minN);
          if (maxN != 0) {
            sf.max_notional = sf.max_notional == 0 ? maxN : std::min(sf.max_notional, maxN);
            if (maxToMarket)
              sf.market_max_notional = sf.market_max_notional == 0 ? maxN : std::min(sf.market_max_notional, maxN);
          }
        } else if (ft.type == "PERCENT_PRICE") {
          int64_t up = 0, down = 0;
          ok = err.decimal(ft.multiplierUp, "PERCENT_PRICE.multiplierUp", kMultiplierScale, Round::Down, up) &&
               err.decimal(ft.multiplierDown, "PERCENT_PRICE.multiplierDown", kMultiplierScale, Round::Up, down);
          sf.buy_mult_up = up;
          sf.sell_mult_down = down;
          // Spot bounds both sides; USD-M bounds a BUY from above and a SELL from below only.
          sf.buy_mult_down = market == Market::Spot ? down : 0;
          sf.sell_mult_up = market == Market::Spot ? up : 0;
        } else if (ft.type == "PERCENT_PRICE_BY_SIDE") {
          ok = err.decimal(ft.bidUp, "PERCENT_PRICE_BY_SIDE.bidMultiplierUp", kMultiplierScale, Round::Down, sf.buy_mult_up) &&
               err.decimal(ft.bidDown, "PERCENT_PRICE_BY_SIDE.bidMultiplierDown", kMultiplierScale, Round::Up, sf.buy_mult_down) &&
               err.decimal(ft.askUp, "PERCENT_PRICE_BY_SIDE.askMultiplierUp", kMultiplierScale, Round::Down, sf.sell_mult_up) &&
               err.decimal(ft.askDown, "PERCENT_PRICE_BY_SIDE.askMultiplierDown", kMultiplierScale, Round::Up, sf.sell_mult_down);
        } else if (ft.type == "MAX_NUM_ORDERS") {
          ok = err.count(market == Market::Spot ? ft.maxNumOrders : ft.limit, "MAX_NUM_ORDERS", sf.max_num_orders);
        }
        if (!ok) return err.message;
      }
      symbols_.push_back(sf);
    }
  }
  if (doc.current_location().error() == simdjson::SUCCESS) return jsonError("the document (content after the object)");
  std::sort(symbols_.begin(), symbols_.end(),
            [](const SymbolFilters& a, const SymbolFilters& b) { return a.instrument < b.instrument; });
  return {};
}

const SymbolFilters* ExchangeFilters::find(common::InstrumentId id) const noexcept {
  auto it = std::lower_bound(symbols_.begin(), symbols_.end(), id,
                             [](const SymbolFilters& s, common::InstrumentId v) { return s.instrument < v; });
  return it != symbols_.end() && it->instrument == id ? &*it : nullptr;
}

}  // namespace hft::api::binance
