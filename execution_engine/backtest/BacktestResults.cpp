#include "execution_engine/backtest/BacktestResults.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/FixedPoint.h"

namespace hft::execution_engine::backtest {

namespace {
double money(int64_t raw) { return static_cast<double>(raw) / 1e8; }
}  // namespace

BacktestResults::BacktestResults(const config::InstrumentRegistry& registry, int64_t sampleNs)
    : registry_(registry), sampleNs_(sampleNs) {}

int64_t BacktestResults::amount(common::InstrumentId id, common::Int128 priceTimesQty) const {
  const auto* inst = registry_.byId(id);
  return inst ? common::scaleProduct(priceTimesQty, inst->price_scale, inst->qty_scale, common::kAmountScale) : 0;
}

void BacktestResults::onOrderRequest(const common::OrderRequest& r) {
  ledger_.onOrderRequest(r);
  switch (r.action) {
    case common::OrderAction::New: ++counters_.orders; break;
    case common::OrderAction::Cancel: ++counters_.cancels; break;
    case common::OrderAction::Modify: ++counters_.modifies; break;
  }
}

void BacktestResults::onReport(const common::ExecutionReport& r) {
  const common::TimestampNs t = r.header.exchange_ts_ns;
  if (!first_) first_ = t;
  last_ = std::max(last_, t);
  if (r.exec_type == common::ExecType::Rejected) {
    ++counters_.rejects;
    ledger_.onReject(r.header.exchange_id);
  }
  if (r.exec_type == common::ExecType::Expired) ++counters_.expired;
  if (r.last_qty <= 0 || (r.exec_type != common::ExecType::PartiallyFilled && r.exec_type != common::ExecType::Filled))
    return;
  ++counters_.fills;
  const common::InstrumentId id = r.header.instrument_id;
  if (!firstInstrument_) firstInstrument_ = id;
  Pos& p = pos_[{r.strategy_id, id}];
  const int64_t signedQty = r.side == common::Side::Buy ? r.last_qty : -r.last_qty;
  int64_t realized = 0;
  if (p.qty == 0 || (p.qty > 0) == (signedQty > 0)) {
    const int64_t held = p.qty < 0 ? -p.qty : p.qty;
    p.avg = static_cast<int64_t>((static_cast<common::Int128>(p.avg) * held + static_cast<common::Int128>(r.last_price) * r.last_qty) /
                                 (held + r.last_qty));
    p.qty += signedQty;
  } else {
    const int64_t held = p.qty < 0 ? -p.qty : p.qty;
    const int64_t closed = std::min(held, r.last_qty);
    const common::Int128 diff = static_cast<common::Int128>(r.last_price - p.avg) * closed;
    realized = amount(id, p.qty > 0 ? diff : -diff);
    p.realized += realized;
    p.qty += signedQty;
    if (p.qty == 0) p.avg = 0;
    else if ((p.qty > 0) == (signedQty > 0)) p.avg = r.last_price;  // flipped
    roundTripPnl_.push_back(realized - r.fee);
  }
  p.fees += r.fee;
  const int64_t notional = amount(id, static_cast<common::Int128>(r.last_price) * r.last_qty);
  grossTraded_ += notional;
  marks_[id] = r.last_price;
  const std::string asset(r.fee_asset, strnlen(r.fee_asset, sizeof r.fee_asset));
  if (const auto* inst = registry_.byId(id)) {
    const int64_t qty = inst->qty_scale <= common::kAmountScale
                            ? r.last_qty * common::pow10(common::kAmountScale - inst->qty_scale)
                            : r.last_qty / common::pow10(inst->qty_scale - common::kAmountScale);
    ledger_.onFill(r.header.exchange_id, r.side, inst->base, inst->quote, qty, notional, asset, r.fee);
  }
  fills_.push_back(FillRow{t, r.strategy_id, r.header.exchange_id, id, r.side, r.last_price, r.last_qty, r.fee, asset,
                           r.liquidity, r.venue_order_id, r.client_order_id, p.qty, realized});
  sample(t);
}

void BacktestResults::onMark(common::TimestampNs t, common::InstrumentId instrument, int64_t mid) {
  if (mid <= 0) return;
  marks_[instrument] = mid;
  if (t >= nextSample_) sample(t);
}

int64_t BacktestResults::equityNow() const {
  int64_t e = 0;
  for (const auto& [key, p] : pos_) {
    e += p.realized - p.fees;
    if (p.qty == 0) continue;
    const auto m = marks_.find(key.second);
    if (m != marks_.end()) e += amount(key.second, static_cast<common::Int128>(m->second - p.avg) * p.qty);
  }
  return e;
}

void BacktestResults::sample(common::TimestampNs t) {
  int64_t position = 0;
  for (const auto& [key, p] : pos_)
    if (key.second == firstInstrument_) position += p.qty;
  if (!curve_.empty() && curve_.back().t == t) curve_.back() = {t, equityNow(), position};
  else curve_.push_back({t, equityNow(), position});
  nextSample_ = t - t % sampleNs_ + sampleNs_;
}

void BacktestResults::finish(common::TimestampNs t) {
  last_ = std::max(last_, t);
  sample(t);
}

std::string BacktestResults::summaryJson() const {
  int64_t realized = 0, fees = 0, unrealizedEquity = curve_.empty() ? 0 : curve_.back().equity;
  for (const auto& [key, p] : pos_) {
    realized += p.realized;
    fees += p.fees;
  }
  // Drawdown and per-period returns on the sampled equity curve (equally spaced samples only:
  // the fill-time points are refinements, the sampling grid carries the statistics).
  int64_t peak = 0, maxDd = 0;
  std::vector<double> rets;
  int64_t prevGrid = 0;
  common::TimestampNs prevT = 0;
  for (const auto& pt : curve_) {
    peak = std::max(peak, pt.equity);
    maxDd = std::max(maxDd, peak - pt.equity);
    if (prevT == 0 || pt.t / sampleNs_ != prevT / sampleNs_) {
      if (prevT != 0) rets.push_back(money(pt.equity - prevGrid));
      prevGrid = pt.equity;
      prevT = pt.t;
    }
  }
  double mean = 0, var = 0, downVar = 0;
  for (double r : rets) mean += r;
  if (!rets.empty()) mean /= static_cast<double>(rets.size());
  for (double r : rets) {
    var += (r - mean) * (r - mean);
    if (r < 0) downVar += r * r;
  }
  const double n = static_cast<double>(std::max<size_t>(1, rets.size()));
  const double sd = std::sqrt(var / n), dsd = std::sqrt(downVar / n);
  // Crypto trades around the clock: periods per year = seconds per year / sample period.
  const double periodsPerYear = 365.0 * 86400.0 * 1e9 / static_cast<double>(sampleNs_);
  const double sharpe = sd > 0 ? mean / sd * std::sqrt(periodsPerYear) : 0;
  const double sortino = dsd > 0 ? mean / dsd * std::sqrt(periodsPerYear) : 0;
  size_t wins = 0;
  for (int64_t p : roundTripPnl_) wins += p > 0;
  const double winRate = roundTripPnl_.empty() ? 0 : static_cast<double>(wins) / static_cast<double>(roundTripPnl_.size());
  const double fillRatio = counters_.orders ? static_cast<double>(counters_.fills) / static_cast<double>(counters_.orders) : 0;
  // Portfolio-wide money only in one currency (see the header): null when KRW meets USDT.
  const std::vector<std::string> quotes = quoteCurrencies();
  const bool mixed = quotes.size() > 1;
  auto num = [&](const char* fmt, double v) -> std::string {
    if (mixed) return "null";
    char b[64];
    std::snprintf(b, sizeof b, fmt, v);
    return b;
  };
  char buf[2048];
  std::snprintf(buf, sizeof buf,
                "{\n  \"quote_currency\": \"%s\",\n  \"net_pnl\": %s,\n  \"gross_pnl\": %s,\n  \"realized_pnl\": %s,\n"
                "  \"fees\": %s,\n  \"max_drawdown\": %s,\n  \"win_rate\": %.6f,\n  \"round_trips\": %zu,\n"
                "  \"sharpe\": %s,\n  \"sortino\": %s,\n  \"sample_period_s\": %.3f,\n  \"turnover\": %s,\n"
                "  \"orders\": %" PRIu64 ",\n  \"fills\": %" PRIu64 ",\n  \"cancels\": %" PRIu64 ",\n  \"modifies\": %" PRIu64
                ",\n  \"rejects\": %" PRIu64 ",\n  \"expired\": %" PRIu64 ",\n  \"fill_ratio\": %.6f,\n  \"first_ts_ns\": %" PRId64
                ",\n  \"last_ts_ns\": %" PRId64 ",\n",
                mixed ? "mixed" : quotes.empty() ? "" : quotes.front().c_str(), num("%.8f", money(unrealizedEquity)).c_str(),
                num("%.8f", money(unrealizedEquity + fees)).c_str(), num("%.8f", money(realized)).c_str(),
                num("%.8f", money(fees)).c_str(), num("%.8f", money(maxDd)).c_str(), winRate, roundTripPnl_.size(),
                num("%.6f", sharpe).c_str(), num("%.6f", sortino).c_str(), static_cast<double>(sampleNs_) / 1e9,
                num("%.8f", money(grossTraded_)).c_str(), counters_.orders, counters_.fills, counters_.cancels,
                counters_.modifies, counters_.rejects, counters_.expired, fillRatio, first_, last_);
  std::string out = buf;
  // Per quote currency: exact, formatted from fixed point. net = realized - fees + unrealized at
  // the last marks.
  struct Money {
    int64_t realized = 0, fees = 0, unrealized = 0, turnover = 0;
  };
  std::map<std::string, Money> byQuote;
  for (const auto& [key, p] : pos_) {
    const auto* inst = registry_.byId(key.second);
    if (!inst) continue;
    Money& m = byQuote[inst->quote];
    m.realized += p.realized;
    m.fees += p.fees;
    const auto mark = marks_.find(key.second);
    if (p.qty != 0 && mark != marks_.end())
      m.unrealized += amount(key.second, static_cast<common::Int128>(mark->second - p.avg) * p.qty);
  }
  for (const auto& f : fills_)
    if (const auto* inst = registry_.byId(f.instrument))
      byQuote[inst->quote].turnover += amount(f.instrument, static_cast<common::Int128>(f.price) * f.qty);
  out.append("  \"by_quote\": {");
  bool first = true;
  for (const auto& [quote, m] : byQuote) {
    out.append(first ? "\n    \"" : ",\n    \"").append(quote).append("\": {\"net_pnl\": ");
    out.append(common::formatDecimal(m.realized - m.fees + m.unrealized, common::kAmountScale));
    out.append(", \"realized_pnl\": ").append(common::formatDecimal(m.realized, common::kAmountScale));
    out.append(", \"unrealized_pnl\": ").append(common::formatDecimal(m.unrealized, common::kAmountScale));
    out.append(", \"fees\": ").append(common::formatDecimal(m.fees, common::kAmountScale));
    out.append(", \"turnover\": ").append(common::formatDecimal(m.turnover, common::kAmountScale)).append("}");
    first = false;
  }
  if (!first) out.append("\n  ");
  out.append("},\n  \"venues\": ").append(ledger_.json("  ")).append("\n}\n");
  return out;
}

std::vector<std::string> BacktestResults::quoteCurrencies() const {
  std::vector<std::string> q;
  for (const auto& [key, p] : pos_)
    if (const auto* inst = registry_.byId(key.second))
      if (std::find(q.begin(), q.end(), inst->quote) == q.end()) q.push_back(inst->quote);
  std::sort(q.begin(), q.end());
  return q;
}

namespace {

/// An inline SVG line chart of (t, v) points.
std::string svgChart(const std::string& title, const std::vector<std::pair<double, double>>& pts, const char* color) {
  const double W = 900, H = 220, L = 70, B = 25;
  std::ostringstream s;
  s << "<h2>" << title << "</h2><svg width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << ' ' << H
    << "\" xmlns=\"http://www.w3.org/2000/svg\" style=\"background:#fafafa;border:1px solid #ddd\">";
  if (pts.size() >= 2) {
    double x0 = pts.front().first, x1 = pts.back().first, y0 = pts[0].second, y1 = pts[0].second;
    for (const auto& [x, y] : pts) {
      y0 = std::min(y0, y);
      y1 = std::max(y1, y);
    }
    if (x1 == x0) x1 = x0 + 1;
    if (y1 == y0) {
      y0 -= 1;
      y1 += 1;
    }
    auto X = [&](double x) { return L + (x - x0) / (x1 - x0) * (W - L - 10); };
    auto Y = [&](double y) { return 10 + (y1 - y) / (y1 - y0) * (H - B - 10); };
    s << "<line x1=\"" << L << "\" y1=\"" << Y(0 < y0 ? y0 : (0 > y1 ? y1 : 0)) << "\" x2=\"" << W - 10 << "\" y2=\""
      << Y(0 < y0 ? y0 : (0 > y1 ? y1 : 0)) << "\" stroke=\"#bbb\"/>";
    s << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
    for (const auto& [x, y] : pts) s << X(x) << ',' << Y(y) << ' ';
    s << "\"/>";
    char lab[64];
    std::snprintf(lab, sizeof lab, "%.4g", y1);
    s << "<text x=\"4\" y=\"16\" font-size=\"11\">" << lab << "</text>";
    std::snprintf(lab, sizeof lab, "%.4g", y0);
    s << "<text x=\"4\" y=\"" << H - B << "\" font-size=\"11\">" << lab << "</text>";
    std::snprintf(lab, sizeof lab, "%.0f s", x1 - x0);
    s << "<text x=\"" << W - 60 << "\" y=\"" << H - 6 << "\" font-size=\"11\">" << lab << "</text>";
  } else {
    s << "<text x=\"20\" y=\"40\">not enough data</text>";
  }
  s << "</svg>";
  return s.str();
}

}  // namespace

void BacktestResults::write(const std::string& dir, const std::string& title) const {
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir + "/backtest_results.csv");
    csv << "timestamp_ns,strategy,venue,instrument,side,price,quantity,fee,fee_asset,liquidity,order_id,client_order_id,"
           "position_after,realized_pnl\n";
    for (const auto& f : fills_) {
      const auto* inst = registry_.byId(f.instrument);
      const int ps = inst ? inst->price_scale : 0, qs = inst ? inst->qty_scale : 0;
      csv << f.ts << ',' << f.strategy << ',' << common::toString(f.venue) << ',' << (inst ? inst->name : "?") << ','
          << common::toString(f.side) << ',' << common::formatDecimal(f.price, ps) << ','
          << common::formatDecimal(f.qty, qs) << ',' << common::formatDecimal(f.fee, common::kAmountScale) << ','
          << f.fee_asset << ',' << common::toString(f.liquidity) << ',' << f.order_id << ',' << f.client_order_id << ','
          << common::formatDecimal(f.position_after, qs) << ',' << common::formatDecimal(f.realized_pnl, common::kAmountScale)
          << '\n';
    }
  }
  const std::string summary = summaryJson();
  std::ofstream(dir + "/summary.json") << summary;
  std::vector<std::pair<double, double>> equity, drawdown, position;
  const double t0 = curve_.empty() ? 0 : static_cast<double>(curve_.front().t);
  int64_t peak = 0;
  const auto* firstInst = registry_.byId(firstInstrument_);
  const double qtyDiv = firstInst ? static_cast<double>(common::pow10(firstInst->qty_scale)) : 1;
  for (const auto& p : curve_) {
    const double x = (static_cast<double>(p.t) - t0) / 1e9;
    peak = std::max(peak, p.equity);
    equity.push_back({x, money(p.equity)});
    drawdown.push_back({x, -money(peak - p.equity)});
    position.push_back({x, static_cast<double>(p.position) / qtyDiv});
  }
  const bool mixed = quoteCurrencies().size() > 1;
  std::ofstream html(dir + "/report.html");
  html << "<!doctype html><html><head><meta charset=\"utf-8\"><title>Backtest " << title
       << "</title><style>body{font-family:sans-serif;margin:24px;color:#222}pre{background:#f4f4f4;padding:12px}"
          "</style></head><body><h1>Backtest: "
       << title << "</h1><p>" << fills_.size() << " fills. "
       << (mixed ? "Fills in several quote currencies: no portfolio equity curve (it would add them); see by_quote "
                   "and venues."
                 : "Money in the quote currency.")
       << "</p><pre>" << summary << "</pre>";
  if (!mixed) html << svgChart("Equity (net PnL)", equity, "#1f6feb") << svgChart("Drawdown", drawdown, "#d1242f");
  html << svgChart(std::string("Position") + (firstInst ? " (" + firstInst->name + ")" : ""), position, "#1a7f37")
       << "</body></html>\n";
}

}  // namespace hft::execution_engine::backtest
