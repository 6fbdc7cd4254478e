#include "config/InstrumentRegistry.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/events/ExecutionReport.h"
#include "config/ConfigError.h"
#include "config/ExchangeConfig.h"
#include "config/JsonNode.h"

namespace hft::config {

namespace {

constexpr const char* kExchangeNames = "one of binance, binance_futures, upbit, bithumb, simulated";

std::string assetCode(const JsonNode& obj, std::string_view key) {
  const JsonNode n = obj.child(key, "an asset code");
  std::string s = n.asString();
  if (!isAssetCode(s)) n.fail("an asset code of upper-case letters and digits");
  return s;
}

std::string gridDescription(const char* what, int scale, const char* scaleKey) {
  return std::string("a positive decimal string on the ") + what + " grid (at most " + std::to_string(scale) +
         " decimals, the " + scaleKey + ")";
}

}  // namespace

InstrumentRegistry InstrumentRegistry::loadFile(const std::string& path) {
  // Venues that are not built in are named by their exchanges/<venue>.json: known before the
  // instruments that use them are read.
  registerExchangeFiles((std::filesystem::path(path).parent_path() / "exchanges").string());
  const nlohmann::json j = readJsonFile(path);
  return fromJson(j, path);
}

InstrumentRegistry InstrumentRegistry::fromJson(const nlohmann::json& j, const std::string& source) {
  const JsonNode root(j, source);
  root.expectObject({"instruments"});
  const JsonNode list = root.child("instruments", "an array of instruments");
  const std::vector<JsonNode> entries = list.elements();
  if (entries.empty()) list.fail("a non-empty array of instruments");

  InstrumentRegistry reg;
  for (const JsonNode& e : entries) {
    e.expectObject({"id", "exchange", "base", "quote", "venue_symbol", "price_scale", "qty_scale", "tick_size",
                    "lot_size", "min_notional"});
    Instrument inst;
    const JsonNode idNode = e.child("id", "an instrument id");
    inst.id = static_cast<common::InstrumentId>(idNode.asInt(1, kMaxId));
    if (const Instrument* prev = reg.byId(inst.id))
      idNode.fail("an id not used before", std::to_string(inst.id) + ", already the id of " + prev->name + " on " +
                                               common::toString(prev->exchange));

    const JsonNode exNode = e.child("exchange", kExchangeNames);
    inst.exchange = common::exchangeFromString(exNode.asString().c_str());
    if (inst.exchange == common::ExchangeId::None) exNode.fail(kExchangeNames);

    inst.base = assetCode(e, "base");
    inst.quote = assetCode(e, "quote");
    inst.name = normalizedName(inst.base, inst.quote);

    // The venue symbol is derivable; when the file spells it too, the two must agree, which
    // catches a base/quote swapped or an Upbit symbol written the Binance way.
    inst.venue_symbol = venueSymbol(inst.exchange, inst.base, inst.quote);
    if (e.has("venue_symbol")) {
      const JsonNode symNode = e.child("venue_symbol", "");
      if (symNode.asString() != inst.venue_symbol)
        symNode.fail("\"" + inst.venue_symbol + "\", how " + common::toString(inst.exchange) + " spells " + inst.name);
    }
    if (const Instrument* prev = reg.byVenueSymbol(inst.exchange, inst.venue_symbol))
      throw ConfigError(source, e.path() + ".venue_symbol", "one instrument per venue symbol",
                        "\"" + inst.venue_symbol + "\" on " + common::toString(inst.exchange) +
                            " again, already instrument " + std::to_string(prev->id));

    inst.price_scale = static_cast<int>(e.requiredInt("price_scale", 0, kMaxScale));
    inst.qty_scale = static_cast<int>(e.requiredInt("qty_scale", 0, kMaxScale));
    inst.tick_size =
        e.requiredDecimal("tick_size", inst.price_scale, 1, gridDescription("price", inst.price_scale, "price_scale"));
    inst.lot_size =
        e.requiredDecimal("lot_size", inst.qty_scale, 1, gridDescription("quantity", inst.qty_scale, "qty_scale"));
    inst.min_notional = e.optionalDecimal("min_notional", common::kAmountScale, 0,
                                          "a decimal string >= 0 with at most 8 decimals, in quote currency", 0);
    reg.add(std::move(inst));
  }
  return reg;
}

void InstrumentRegistry::add(Instrument inst) {
  const auto slot = static_cast<uint32_t>(instruments_.size());
  if (slotById_.size() <= inst.id) slotById_.resize(inst.id + 1, 0);
  slotById_[inst.id] = slot + 1;
  VenueIndex* v = nullptr;
  for (VenueIndex& candidate : venues_)
    if (candidate.exchange == inst.exchange) v = &candidate;
  if (v == nullptr) v = &venues_.emplace_back(VenueIndex{inst.exchange, {}, {}});
  v->bySymbol.emplace(inst.venue_symbol, slot);
  v->byName.emplace(inst.name, slot);
  instruments_.push_back(std::move(inst));
}

const InstrumentRegistry::VenueIndex* InstrumentRegistry::venue(common::ExchangeId exchange) const noexcept {
  for (const VenueIndex& v : venues_)
    if (v.exchange == exchange) return &v;
  return nullptr;
}

const Instrument* InstrumentRegistry::find(common::ExchangeId exchange, std::string_view key,
                                           bool bySymbol) const noexcept {
  const VenueIndex* v = venue(exchange);
  if (v == nullptr) return nullptr;
  const SymbolIndex& index = bySymbol ? v->bySymbol : v->byName;
  const auto it = index.find(key);
  return it == index.end() ? nullptr : &instruments_[it->second];
}

const Instrument* InstrumentRegistry::byId(common::InstrumentId id) const noexcept {
  if (id >= slotById_.size() || slotById_[id] == 0) return nullptr;
  return &instruments_[slotById_[id] - 1];
}

const Instrument* InstrumentRegistry::byVenueSymbol(common::ExchangeId exchange,
                                                    std::string_view symbol) const noexcept {
  return find(exchange, symbol, true);
}

const Instrument* InstrumentRegistry::byName(common::ExchangeId exchange, std::string_view normalized) const noexcept {
  return find(exchange, normalized, false);
}

}  // namespace hft::config
