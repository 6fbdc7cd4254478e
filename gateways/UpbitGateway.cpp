#include "gateways/UpbitGateway.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "api/exchanges/bithumb/BithumbDialect.h"
#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/MarketDataParser.h"
#include "api/net/BeastWebSocketClient.h"
#include "common/Events.h"
#include "common/StringPrintf.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "gateways/TradeSequence.h"

namespace hft::gateways {

using common::TimestampNs;

UpbitGatewayConfig UpbitGatewayConfig::fromExchange(const config::ExchangeConfig& exchange) {
  if (exchange.venue == "bithumb") return fromExchange(exchange, api::bithumb::kBithumb);
  if (exchange.venue != "upbit")
    throw std::invalid_argument(exchange.source + ": venue \"" + exchange.venue + "\", expected \"upbit\" or \"bithumb\"");
  return fromExchange(exchange, api::upbit::kUpbit);
}

UpbitGatewayConfig UpbitGatewayConfig::fromExchange(const config::ExchangeConfig& exchange, const api::upbit::Dialect& dialect) {
  const char* expected = dialect.exchange == common::ExchangeId::Bithumb ? "bithumb" : "upbit";
  if (exchange.venue != expected)
    throw std::invalid_argument(exchange.source + ": venue \"" + exchange.venue + "\", expected \"" + expected + "\"");
  const auto& ep = exchange.endpoints;
  if (ep.ws_routes.count("public") == 0)
    throw std::invalid_argument(exchange.source + ": environments." + exchange.active +
                                ".ws_routes has no \"public\" route (the quotation WebSocket)");
  UpbitGatewayConfig c;
  c.dialect = dialect;
  c.ws_url = ep.wsUrl("public");
  const auto& r = exchange.reconnect;
  c.connect_timeout_ns = r.connect_timeout_ms * 1'000'000;
  c.ws_idle_timeout_ns = r.dead_stream_timeout_ms * 1'000'000;
  c.backoff.initial_ns = r.initial_backoff_ms * 1'000'000;
  c.backoff.max_ns = r.max_backoff_ms * 1'000'000;
  return c;
}

namespace {

const char* reasonName(interfaces::WsDisconnectReason r) noexcept {
  using R = interfaces::WsDisconnectReason;
  switch (r) {
    case R::None: return "none";
    case R::ConnectFailed: return "connect failed";
    case R::ClosedByPeer: return "closed by peer";
    case R::DeadStream: return "dead stream";
    case R::MaxAge: return "max connection age";
    case R::Overflow: return "inbound overflow";
    case R::Error: return "error";
  }
  return "unknown";
}

/// One market: its instrument and its trade sequential_ids.
struct Market {
  const config::Instrument* instrument;
  TradeSequence trades;
};

}  // namespace

struct UpbitGateway::Impl final : interfaces::IWebSocketHandler, api::upbit::MarketDataHandler {
  Impl(UpbitGatewayConfig conf, const config::InstrumentRegistry& reg)
      : cfg(std::move(conf)), resolver(reg, cfg.dialect.exchange), parser(resolver) {
    if (cfg.codes.empty()) throw std::invalid_argument(std::string(venue) + " gateway: no market codes configured");
    std::string codes;
    for (const std::string& code : cfg.codes) {
      const config::Instrument* inst = reg.byVenueSymbol(cfg.dialect.exchange, code);
      if (inst == nullptr) {
        std::string why = std::string(venue) + " gateway: market \"";
        why.append(code).append("\" is not configured on ").append(venue).append(" (config/instruments.json)");
        throw std::invalid_argument(why);
      }
      markets.push_back({inst, {}});
      if (!codes.empty()) codes.append(",");
      codes.append("\"").append(code).append("\"");
    }
    // [{ticket},{type,codes}...,{format}]: Upbit's request; sent again on every connection.
    subscription = R"([{"ticket":"hft-datafeed"})";
    const char* types[] = {cfg.trades ? "trade" : nullptr, cfg.orderbook ? "orderbook" : nullptr,
                           cfg.ticker ? "ticker" : nullptr};
    for (const char* t : types)
      if (t != nullptr) subscription.append(R"(,{"type":")").append(t).append(R"(","codes":[)").append(codes).append("]}");
    subscription.append(R"(,{"format":")").append(cfg.simple_format ? "SIMPLE" : "DEFAULT").append("\"}]");
    net::WebSocketClientConfig wc;
    wc.url = cfg.ws_url;
    wc.tls = cfg.tls;
    wc.connect_timeout_ns = cfg.connect_timeout_ns;
    wc.idle_timeout_ns = cfg.ws_idle_timeout_ns;
    wc.backoff = cfg.backoff;
    ws = std::make_unique<net::BeastWebSocketClient>(wc);
  }

  void publish(common::EventHeader& h) noexcept {
    sink->onEvent(h);
    ++delivered;
  }

  void publishGap(const config::Instrument& inst, common::GapReason reason, TimestampNs atNs) noexcept {
    common::Gap g{};
    g.header = common::makeHeader<common::Gap>(cfg.dialect.exchange, inst.id, 0, atNs);
    g.lost_count = 0;  // unknown
    g.reason = reason;
    publish(g.header);
    ++c.gaps_published;
  }

  Market* marketOf(const config::Instrument* inst) noexcept {
    for (Market& m : markets)
      if (m.instrument == inst) return &m;
    return nullptr;
  }

  // -- parser callbacks (inside parse(), on the polling thread) -------------------------------

  void onTrade(const api::upbit::ParsedTrade& p) noexcept override {
    Market* m = marketOf(p.instrument);
    if (m == nullptr) {  // a code we did not ask for
      ++c.other_messages;
      return;
    }
    const uint64_t previous = m->trades.last();
    switch (m->trades.next(p.sequential_id)) {
      case TradeSequence::Verdict::Duplicate: ++c.duplicate_trades; return;
      case TradeSequence::Verdict::Backwards:
        ++c.sequence_gaps;
        publishGap(*m->instrument, common::GapReason::FeedSequenceGap, rx);
        std::fprintf(stderr, "%s: %s trade sequential_id went backwards (%" PRIu64 " after %" PRIu64 "): Gap published\n", venue,
                     m->instrument->venue_symbol.c_str(), p.sequential_id, previous);
        break;
      case TradeSequence::Verdict::New: break;
    }
    common::Trade t{};
    api::upbit::toTrade(p, cfg.dialect.exchange, rx, t);
    publish(t.header);
    ++c.trades;
  }

  void onOrderbook(const api::upbit::ParsedOrderbook& b) noexcept override {
    if (marketOf(b.instrument) == nullptr) {
      ++c.other_messages;
      return;
    }
    common::BookSnapshot s{};
    api::upbit::toBookSnapshot(b, cfg.dialect.exchange, rx, s);
    publish(s.header);
    ++c.book_snapshots;
    if (b.bids.empty() || b.asks.empty()) return;  // no two-sided top
    common::BestBidOffer q{};
    api::upbit::toBestBidOffer(b, cfg.dialect.exchange, rx, q);
    publish(q.header);
    ++c.bbos;
  }

  void onTicker(const api::upbit::ParsedTicker&) noexcept override { ++c.tickers; }

  // -- WebSocket ------------------------------------------------------------------------------

  void onMessage(const interfaces::WsMessage& m) noexcept override {
    ++c.frames;
    rx = m.recv_ns;
    const api::upbit::ParseResult r = parser.parse(m.text, *this);
    if (!r.ok()) {
      // Rare: a schema change or a misconfigured scale. Log the 1st, 2nd, 4th, ...
      ++c.parse_errors;
      if ((c.parse_errors & (c.parse_errors - 1)) == 0)
        std::fprintf(stderr, "%s: unparsable frame (%" PRIu64 " so far): %s %s field \"%s\" offset %u code \"%.*s\"\n", venue,
                     c.parse_errors, api::upbit::toString(r.kind), api::upbit::toString(r.status), r.field, r.offset,
                     static_cast<int>(parser.code().size()), parser.code().data());
      return;
    }
    if (r.kind == api::upbit::MessageKind::Error) {
      ++c.venue_errors;
      std::fprintf(stderr, "%s: venue error %.*s\n", venue, static_cast<int>(parser.errorName().size()),
                   parser.errorName().data());
    } else if (r.kind == api::upbit::MessageKind::Other) {
      ++c.other_messages;
    }
  }

  void onState(const interfaces::WsStateChange& s) noexcept override {
    using interfaces::WsState;
    switch (s.state) {
      case WsState::Connected:
        ++c.connects;
        std::fprintf(stderr, "%s: connected to %s (%zu markets)\n", venue, cfg.ws_url.c_str(), markets.size());
        break;
      case WsState::Disconnected:
        ++c.disconnects;
        std::fprintf(stderr, "%s: disconnected (%s)\n", venue, reasonName(s.reason));
        break;
      case WsState::Reconnecting: break;
      case WsState::Reconnected:
        // Trades may have been missed while down (books are full snapshots and heal on the
        // next message, but consumers must know): a Gap per instrument.
        ++c.reconnects;
        for (const Market& m : markets) publishGap(*m.instrument, common::GapReason::FeedReconnect, s.ts_ns);
        std::fprintf(stderr, "%s: reconnected (%" PRIu64 " reconnects): Gap published for %zu markets\n", venue,
                     c.reconnects, markets.size());
        break;
    }
  }

  int poll() noexcept {
    delivered = 0;
    const size_t work = ws->poll(*this, cfg.max_frames_per_poll);
    return delivered > 0 ? delivered : static_cast<int>(work);
  }

  UpbitGatewayConfig cfg;
  const char* venue = cfg.dialect.exchange == common::ExchangeId::Bithumb ? "bithumb" : "upbit";  // logs, errors, name()
  api::upbit::RegistryResolver resolver;
  api::upbit::MarketDataParser parser;
  std::vector<Market> markets;
  std::string subscription;
  std::unique_ptr<net::BeastWebSocketClient> ws;
  interfaces::IEventSink* sink = nullptr;
  UpbitGatewayCounters c;
  TimestampNs rx = 0;  ///< receive time of the frame being parsed
  bool started = false;
  int delivered = 0;
};

UpbitGateway::UpbitGateway(UpbitGatewayConfig config, const config::InstrumentRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(config), registry)) {}

UpbitGateway::~UpbitGateway() { stop(); }

void UpbitGateway::start(interfaces::IEventSink& sink) {
  if (impl_->started) throw std::logic_error(impl_->venue + std::string(" gateway: started twice"));
  impl_->sink = &sink;
  impl_->ws->start();
  impl_->started = true;
  if (impl_->ws->send(impl_->subscription, /*resubscribe=*/true) != interfaces::WsSendStatus::Queued)
    throw std::runtime_error(impl_->venue + std::string(" gateway: could not queue the subscription"));
}

int UpbitGateway::poll() noexcept { return impl_->started ? impl_->poll() : 0; }

void UpbitGateway::stop() noexcept {
  if (!impl_->started) return;
  impl_->ws->stop();
  impl_->started = false;
}

const UpbitGatewayCounters& UpbitGateway::counters() const noexcept { return impl_->c; }

std::vector<std::string> UpbitGateway::statusLines() const {
  const UpbitGatewayCounters& uc = impl_->c;
  return {common::stringPrintf("%s: %" PRIu64 " frames, %" PRIu64 " trades, %" PRIu64 " books, %" PRIu64 " tickers, %" PRIu64
                               " reconnects, %" PRIu64 " sequence gaps, %" PRIu64 " duplicate trades, %" PRIu64
                               " venue errors, %" PRIu64 " parse errors",
                               name().c_str(), uc.frames, uc.trades, uc.book_snapshots, uc.tickers, uc.reconnects,
                               uc.sequence_gaps, uc.duplicate_trades, uc.venue_errors, uc.parse_errors)};
}

std::string UpbitGateway::name() const { return impl_->venue; }
common::ExchangeId UpbitGateway::exchange() const noexcept { return impl_->cfg.dialect.exchange; }

std::unique_ptr<interfaces::IGateway> makeUpbitFamilyGateway(UpbitGatewayConfig config,
                                                             const config::InstrumentRegistry& registry) {
  return std::make_unique<UpbitGateway>(std::move(config), registry);
}
const std::string& UpbitGateway::subscription() const noexcept { return impl_->subscription; }

}  // namespace hft::gateways
