#include "processes/recording/EventText.h"

#include <cinttypes>

#include "common/FixedPoint.h"

namespace hft::tools {

ScaleTable scalesOf(const data_store::recording::SessionInfo& info) {
  ScaleTable t;
  for (const auto& i : info.instruments) t[i.id] = {i.price_scale, i.qty_scale};
  return t;
}

namespace {

struct Fields {
  // The generic columns: what each type puts there is documented in csvHeader().
  std::string side, price, qty, price2, qty2, id, extra;
};

Fields fieldsOf(const common::EventHeader& e, const ScaleTable& scales) {
  const auto it = scales.find(e.instrument_id);
  const Scales s = it == scales.end() ? Scales{} : it->second;
  auto px = [&](int64_t v) { return common::formatDecimal(v, s.price); };
  auto qt = [&](int64_t v) { return common::formatDecimal(v, s.qty); };
  Fields f;
  switch (e.type) {
    case common::EventType::Trade: {
      const auto& t = reinterpret_cast<const common::Trade&>(e);
      f = {common::toString(t.aggressor), px(t.price), qt(t.qty), "", "", std::to_string(t.trade_id), ""};
      break;
    }
    case common::EventType::BestBidOffer: {
      const auto& b = reinterpret_cast<const common::BestBidOffer&>(e);
      f = {"", px(b.bid_price), qt(b.bid_qty), px(b.ask_price), qt(b.ask_qty), std::to_string(b.update_id), ""};
      break;
    }
    case common::EventType::BookDelta: {
      const auto& d = reinterpret_cast<const common::BookDelta&>(e);
      std::string levels;
      for (uint16_t i = 0; i < d.count && i < common::BookDelta::kMaxLevels; ++i) {
        if (i) levels += ' ';
        levels.append(d.levels[i].side == common::Side::Buy ? "b:" : "a:").append(px(d.levels[i].price)).append("@").append(qt(d.levels[i].qty));
      }
      f = {"", "", "", "", "", std::to_string(d.last_update_id), levels};
      break;
    }
    case common::EventType::BookSnapshot: {
      const auto& b = reinterpret_cast<const common::BookSnapshot&>(e);
      f = {"", b.bid_count ? px(b.bids[0].price) : "", b.bid_count ? qt(b.bids[0].qty) : "",
           b.ask_count ? px(b.asks[0].price) : "", b.ask_count ? qt(b.asks[0].qty) : "",
           std::to_string(b.last_update_id), std::to_string(b.bid_count) + "x" + std::to_string(b.ask_count)};
      break;
    }
    case common::EventType::Bar: {
      const auto& b = reinterpret_cast<const common::Bar&>(e);
      f = {"", px(b.open), qt(b.volume), px(b.close), "", std::to_string(b.trade_count),
           "high=" + px(b.high) + " low=" + px(b.low)};
      break;
    }
    case common::EventType::Gap: {
      const auto& g = reinterpret_cast<const common::Gap&>(e);
      f.id = std::to_string(g.lost_count);
      f.extra = common::toString(g.reason);
      break;
    }
    case common::EventType::Control: {
      const auto& c = reinterpret_cast<const common::Control&>(e);
      f.extra = common::toString(c.command);
      break;
    }
    case common::EventType::ExecutionReport: {
      const auto& r = reinterpret_cast<const common::ExecutionReport&>(e);
      f = {common::toString(r.side), px(r.last_price), qt(r.last_qty), px(r.order_price), qt(r.cum_qty),
           std::to_string(r.client_order_id), common::toString(r.exec_type)};
      break;
    }
    default:
      break;
  }
  return f;
}

}  // namespace

const char* csvHeader() {
  // price/qty: trade, bid, fill or bar open/volume; price2/qty2: ask, order price/cum qty or
  // bar close; id: trade id, update id, client order id, lost count; extra: levels or notes.
  return "sequence,type,exchange,instrument,exchange_ts_ns,receive_ts_ns,side,price,qty,price2,qty2,id,extra";
}

void printCsv(std::FILE* out, const common::EventHeader& e, const ScaleTable& scales) {
  const Fields f = fieldsOf(e, scales);
  std::fprintf(out, "%" PRIu64 ",%s,%s,%u,%" PRId64 ",%" PRId64 ",%s,%s,%s,%s,%s,%s,%s\n", e.sequence,
               common::toString(e.type), common::toString(e.exchange_id), e.instrument_id, e.exchange_ts_ns,
               e.receive_ts_ns, f.side.c_str(), f.price.c_str(), f.qty.c_str(), f.price2.c_str(), f.qty2.c_str(),
               f.id.c_str(), f.extra.c_str());
}

void printJson(std::FILE* out, const common::EventHeader& e, const ScaleTable& scales) {
  const Fields f = fieldsOf(e, scales);
  std::fprintf(out,
               "{\"sequence\":%" PRIu64 ",\"type\":\"%s\",\"exchange\":\"%s\",\"instrument\":%u,\"exchange_ts_ns\":%" PRId64
               ",\"receive_ts_ns\":%" PRId64,
               e.sequence, common::toString(e.type), common::toString(e.exchange_id), e.instrument_id, e.exchange_ts_ns,
               e.receive_ts_ns);
  auto field = [&](const char* k, const std::string& v) {
    if (!v.empty()) std::fprintf(out, ",\"%s\":\"%s\"", k, v.c_str());
  };
  field("side", f.side);
  field("price", f.price);
  field("qty", f.qty);
  field("price2", f.price2);
  field("qty2", f.qty2);
  field("id", f.id);
  field("extra", f.extra);
  std::fputs("}\n", out);
}

}  // namespace hft::tools
