// recording: the tool for recorded sessions (.bin.lz4): generate, info, verify, cat, cut,
// merge, import. Every subcommand has --help.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "api/import/ImporterRegistry.h"
#include "common/CommandLine.h"
#include "common/Events.h"
#include "common/FixedPoint.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/recording/SessionReader.h"
#include "data_store/recording/SessionWriter.h"
#include "execution_engine/backtest/RecordedLatency.h"
#include "gateways/SyntheticMarket.h"
#include "processes/recording/EventText.h"

using namespace hft;
using data_store::recording::ReadResult;
using data_store::recording::SessionInfo;
using data_store::recording::SessionReader;
using data_store::recording::SessionWriter;

namespace {

std::vector<data_store::recording::InstrumentInfo> tableOf(const config::InstrumentRegistry& reg, bool simulatedOnly) {
  std::vector<data_store::recording::InstrumentInfo> out;
  for (const auto& i : reg.all())
    if (!simulatedOnly || i.exchange == common::ExchangeId::Simulated)
      out.push_back({i.id, i.exchange, static_cast<int8_t>(i.price_scale), static_cast<int8_t>(i.qty_scale),
                     i.venue_symbol, i.name});
  return out;
}

/// "1723161253000000000" (ns) or "2024-08-08T23:54:13Z" / "2024-08-08T23:54:13.5Z".
common::TimestampNs parseTime(const std::string& s, const char* option) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoll(s);
  std::tm tm{};
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) throw std::invalid_argument(std::string("--") + option + ": expected ns since epoch or YYYY-MM-DDTHH:MM:SS[.fff]Z, found \"" + s + "\"");
  common::TimestampNs ns = static_cast<common::TimestampNs>(timegm(&tm)) * 1'000'000'000;
  if (*rest == '.') {
    int64_t frac = 0;
    int digits = 0;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, ++digits)
      if (digits < 9) frac = frac * 10 + (*rest - '0');
    for (; digits < 9; ++digits) frac *= 10;
    ns += frac;
  }
  return ns;
}

std::string isoTime(common::TimestampNs t) {
  if (t <= 0) return "-";
  const time_t secs = static_cast<time_t>(t / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>((t / 1'000'000) % 1000));
  return out;
}

// ---------------------------------------------------------------- generate
int generate(int argc, char** argv) {
  common::CommandLine cl("recording generate", "Writes a realistic synthetic session through the recorder's writer.");
  cl.option("events", "number of market events", "1000000").option("out", "output .bin.lz4 file")
      .option("seed", "random seed", "42").option("config", "system config", "config/system.json")
      .option("start", "event-time origin (ns or ISO UTC)", "2026-01-05T14:00:00Z").flag("force", "overwrite")
      .option("instruments", "comma-separated instrument names (binance:BTCUSDT) or ids, any venue (default: the simulated ones)")
      .option("start-prices", "NAME=DECIMAL,... first bids in the quote currency (default BTC 65000, ETH 3200, others 150)")
      .option("volatility-bps", "calm volatility of each mid in bps per sqrt(second)", "5")
      .option("events-per-second", "mean calm event rate, all instruments together", "20000");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.get("out").empty()) throw std::invalid_argument("--out is required");
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const auto reg = config::InstrumentRegistry::loadFile(sys.instruments_file);
  gateways::SyntheticConfig sc;
  sc.seed = static_cast<uint64_t>(cl.getInt("seed"));
  sc.max_events = static_cast<uint64_t>(cl.getInt("events"));
  sc.start_ns = parseTime(cl.get("start"), "start");
  sc.volatility_bps_per_sqrt_s = cl.getDouble("volatility-bps");
  sc.events_per_second = cl.getDouble("events-per-second");
  const auto wanted = cl.getList("instruments");
  std::map<std::string, std::string> startPrices;  // instrument name -> decimal
  for (const auto& item : cl.getList("start-prices")) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument(std::string("--start-prices: expected NAME=DECIMAL, found '").append(item).append("'"));
    startPrices[item.substr(0, eq)] = item.substr(eq + 1);
  }
  bool venues = false;  // an instrument of a real venue: the session's table names every instrument
  std::set<common::ExchangeId> exchanges;
  for (const auto& i : reg.all()) {
    const std::string key = std::string(common::toString(i.exchange)).append(":").append(i.venue_symbol);
    const bool chosen = wanted.empty() ? i.exchange == common::ExchangeId::Simulated
                                       : std::find(wanted.begin(), wanted.end(), key) != wanted.end() ||
                                             std::find(wanted.begin(), wanted.end(), std::to_string(i.id)) != wanted.end();
    if (!chosen) continue;
    venues = venues || i.exchange != common::ExchangeId::Simulated;
    exchanges.insert(i.exchange);
    int64_t start = (i.base == "BTC" ? 65'000 : i.base == "ETH" ? 3'200 : 150) * common::pow10(i.price_scale);
    if (const auto sp = startPrices.find(key); sp != startPrices.end()) {
      if (common::parseDecimal(sp->second, i.price_scale, start) != common::ParseStatus::Ok || start <= 0)
        throw std::invalid_argument(std::string("--start-prices: bad price '").append(sp->second).append("' for ").append(key));
      startPrices.erase(sp);
    }
    start -= start % i.tick_size;
    // A venue's instrument shows about 0.01 of its base at the touch, like the exchange simulator
    // (enough for orders above the venue's minimum notional); simulated ones keep the model's
    // default (20 lots), so their sessions stay byte-identical.
    const int64_t hundredth = common::pow10(i.qty_scale) / 100;
    const int64_t touch = i.exchange == common::ExchangeId::Simulated ? 0 : std::max(20 * i.lot_size, hundredth - hundredth % i.lot_size);
    sc.instruments.push_back({i.id, i.exchange, start, i.tick_size, i.lot_size, i.price_scale, i.qty_scale, touch});
  }
  if (!startPrices.empty())
    throw std::invalid_argument(std::string("--start-prices: ").append(startPrices.begin()->first).append(" is not a generated instrument"));
  if (!wanted.empty() && sc.instruments.size() != wanted.size())
    throw std::invalid_argument("--instruments: a name is not in the instrument registry (names look like binance:BTCUSDT)");
  gateways::SyntheticMarket market(sc);
  // The session's venue: the one venue generated, else "simulated".
  const std::string venue = exchanges.size() == 1 ? common::toString(*exchanges.begin()) : "simulated";
  SessionInfo info{"synthetic-" + std::to_string(sc.seed), venue, sc.start_ns, tableOf(reg, !venues)};
  data_store::recording::WriterOptions wo;
  wo.overwrite = cl.has("force");
  SessionWriter writer(cl.get("out"), info, wo);
  common::EventBuffer buf{};
  uint64_t seq = 0;
  while (market.next(buf)) {
    auto& h = buf.header();
    h.sequence = ++seq;
    h.publish_ts_ns = h.receive_ts_ns;
    writer.append(h);
    writer.tick(h.exchange_ts_ns);  // frames every 100 ms of event time: deterministic
  }
  writer.close();
  std::printf("generated %" PRIu64 " events into %s (%.1f MB, ratio %.2f)\n", writer.eventsWritten(),
              cl.get("out").c_str(), static_cast<double>(writer.bytesOut()) / 1e6,
              static_cast<double>(writer.bytesIn()) / static_cast<double>(std::max<uint64_t>(1, writer.bytesOut())));
  return 0;
}

// ---------------------------------------------------------------- info / verify
struct Scan {
  uint64_t byType[common::kEventTypeCount]{};
  uint64_t events = 0, gaps = 0, lost = 0;
  common::TimestampNs first = 0, last = 0;
  std::string error;
  std::vector<std::string> problems;
};

bool isExecFlow(common::EventType t) {
  return t == common::EventType::ExecutionReport || t == common::EventType::BalanceUpdate ||
         t == common::EventType::PositionUpdate || t == common::EventType::OrderRequest;
}

Scan scan(SessionReader& r, bool checks) {
  Scan s;
  uint64_t lastSeq[2] = {0, 0};  // market-data ring, execution ring: sequences are per ring
  const common::EventHeader* e = nullptr;
  ReadResult res;
  while ((res = r.next(e)) == ReadResult::Event) {
    ++s.events;
    ++s.byType[static_cast<size_t>(e->type) % common::kEventTypeCount];
    const auto t = common::eventTime(*e);
    if (t && (!s.first || t < s.first)) s.first = t;
    if (t > s.last) s.last = t;
    if (e->type == common::EventType::Gap) {
      ++s.gaps;
      s.lost += reinterpret_cast<const common::Gap*>(e)->lost_count;
    }
    if (!checks || s.problems.size() >= 20) continue;
    if (e->schema_version != common::kSchemaVersion)
      s.problems.push_back("event " + std::to_string(s.events) + ": schema version " + std::to_string(e->schema_version) +
                           ", expected " + std::to_string(common::kSchemaVersion));
    uint64_t& prev = lastSeq[isExecFlow(e->type) ? 1 : 0];
    if (e->type != common::EventType::Gap && e->sequence != 0) {
      if (e->sequence <= prev)
        s.problems.push_back("event " + std::to_string(s.events) + ": sequence " + std::to_string(e->sequence) +
                             " not above the previous " + std::to_string(prev));
      prev = e->sequence;
    }
  }
  if (res == ReadResult::Error) s.error = r.error();
  return s;
}

int info(int argc, char** argv) {
  common::CommandLine cl("recording info", "Instruments, time range, event counts by type, gaps, compression.");
  cl.flag("json", "print one JSON object per file");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.positional().empty()) throw std::invalid_argument("recording info FILE...");
  int rc = 0;
  for (const auto& path : cl.positional()) {
    SessionReader r(path);
    const Scan s = scan(r, false);
    const double ratio = static_cast<double>(r.decompressedBytes()) / static_cast<double>(std::max<uint64_t>(1, r.compressedBytes()));
    if (cl.has("json")) {
      std::printf("{\"file\":\"%s\",\"session\":\"%s\",\"venue\":\"%s\",\"events\":%" PRIu64 ",\"events_by_type\":{",
                  path.c_str(), r.info().session.c_str(), r.info().venue.c_str(), s.events);
      bool first = true;
      for (uint16_t t = 1; t < common::kEventTypeCount; ++t) {
        if (!s.byType[t]) continue;
        std::printf("%s\"%s\":%" PRIu64, first ? "" : ",", common::toString(static_cast<common::EventType>(t)), s.byType[t]);
        first = false;
      }
      std::printf("},\"instruments\":[");
      for (size_t i = 0; i < r.info().instruments.size(); ++i) {
        const auto& in = r.info().instruments[i];
        std::printf("%s{\"id\":%u,\"exchange\":\"%s\",\"symbol\":\"%s\",\"name\":\"%s\"}", i ? "," : "", in.id,
                    common::toString(in.exchange), in.venue_symbol.c_str(), in.name.c_str());
      }
      std::printf("],\"first_ts_ns\":%" PRId64 ",\"last_ts_ns\":%" PRId64 ",\"gaps\":%" PRIu64 ",\"lost\":%" PRIu64
                  ",\"compressed_bytes\":%" PRIu64 ",\"decompressed_bytes\":%" PRIu64
                  ",\"compression_ratio\":%.3f,\"frames\":%zu,\"index_rebuilt\":%s,\"error\":%s}\n",
                  s.first, s.last, s.gaps, s.lost, r.compressedBytes(), r.decompressedBytes(), ratio, r.index().size(),
                  r.indexRebuilt() ? "true" : "false", s.error.empty() ? "null" : ("\"" + s.error + "\"").c_str());
    } else {
      std::printf("%s\n  session %s, venue %s, started %s\n  instruments:", path.c_str(), r.info().session.c_str(),
                  r.info().venue.c_str(), isoTime(r.info().start_ns).c_str());
      for (const auto& in : r.info().instruments) std::printf(" %u=%s(%s)", in.id, in.name.c_str(), in.venue_symbol.c_str());
      std::printf("\n  time %s .. %s\n  events %" PRIu64 ":", isoTime(s.first).c_str(), isoTime(s.last).c_str(), s.events);
      for (uint16_t t = 1; t < common::kEventTypeCount; ++t)
        if (s.byType[t]) std::printf(" %s %" PRIu64, common::toString(static_cast<common::EventType>(t)), s.byType[t]);
      std::printf("\n  gaps %" PRIu64 " (%" PRIu64 " messages lost)\n  %" PRIu64 " bytes compressed, %" PRIu64
                  " decompressed, ratio %.2f, %zu frames%s\n",
                  s.gaps, s.lost, r.compressedBytes(), r.decompressedBytes(), ratio, r.index().size(),
                  r.indexRebuilt() ? " (index rebuilt: file was not closed cleanly)" : "");
      if (!s.error.empty()) std::printf("  DAMAGED: %s\n", s.error.c_str());
    }
    if (!s.error.empty()) rc = 1;
  }
  return rc;
}

int verify(int argc, char** argv) {
  common::CommandLine cl("recording verify", "Checks checksums, per-ring sequence order and schema version; exit 0 only when sound.");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.positional().empty()) throw std::invalid_argument("recording verify FILE...");
  int rc = 0;
  for (const auto& path : cl.positional()) {
    try {
      SessionReader r(path);
      const Scan s = scan(r, true);
      std::vector<std::string> problems = s.problems;
      if (!s.error.empty()) problems.push_back(s.error);
      if (r.indexRebuilt()) problems.push_back(path + ": no valid trailer (the writer did not close the file)");
      if (problems.empty()) {
        std::printf("%s: OK (%" PRIu64 " events, %zu frames)\n", path.c_str(), s.events, r.index().size());
      } else {
        rc = 1;
        for (const auto& p : problems) std::printf("%s: FAILED: %s\n", path.c_str(), p.c_str());
      }
    } catch (const std::exception& ex) {
      rc = 1;
      std::printf("%s: FAILED: %s\n", path.c_str(), ex.what());
    }
  }
  return rc;
}

// ---------------------------------------------------------------- cat
int cat(int argc, char** argv) {
  common::CommandLine cl("recording cat", "Prints events as CSV or JSONL.");
  cl.option("format", "csv or jsonl", "csv").option("limit", "stop after this many events (0 = all)", "0");
  if (!cl.parse(argc, argv)) return 0;
  const bool json = cl.get("format") == "jsonl";
  if (!json && cl.get("format") != "csv") throw std::invalid_argument("--format: expected csv or jsonl");
  const auto limit = static_cast<uint64_t>(cl.getInt("limit"));
  if (!json) std::printf("%s\n", tools::csvHeader());
  for (const auto& path : cl.positional()) {
    SessionReader r(path);
    const auto scales = tools::scalesOf(r.info());
    const common::EventHeader* e = nullptr;
    ReadResult res;
    uint64_t n = 0;
    while ((limit == 0 || n < limit) && (res = r.next(e)) == ReadResult::Event) {
      json ? tools::printJson(stdout, *e, scales) : tools::printCsv(stdout, *e, scales);
      ++n;
    }
    if (res == ReadResult::Error) {
      std::fflush(stdout);
      std::fprintf(stderr, "recording cat: %s\n", r.error().c_str());
      return 1;
    }
  }
  return 0;
}

// ---------------------------------------------------------------- cut / merge
/// Merges readers by event time into one writer, keeping events for which keep() is true.
template <class Keep>
uint64_t mergeInto(std::vector<std::unique_ptr<SessionReader>>& readers, SessionWriter& w, bool renumber, Keep&& keep,
                   std::vector<std::string>& errors) {
  std::vector<const common::EventHeader*> heads(readers.size(), nullptr);
  auto advance = [&](size_t i) {
    const common::EventHeader* e = nullptr;
    const ReadResult r = readers[i]->peek(e);
    heads[i] = r == ReadResult::Event ? e : nullptr;
    if (r == ReadResult::Error) errors.push_back(readers[i]->error());
  };
  for (size_t i = 0; i < readers.size(); ++i) advance(i);
  common::EventBuffer buf{};
  uint64_t seq = 0, n = 0;
  for (;;) {
    size_t best = readers.size();
    for (size_t i = 0; i < readers.size(); ++i)
      if (heads[i] && (best == readers.size() || common::eventTime(*heads[i]) < common::eventTime(*heads[best]))) best = i;
    if (best == readers.size()) break;
    const common::EventHeader* e = nullptr;
    readers[best]->next(e);
    if (keep(*e)) {
      std::memcpy(buf.bytes, e, e->size);
      if (renumber) buf.header().sequence = ++seq;
      w.append(buf.header());
      ++n;
    }
    advance(best);
  }
  return n;
}

int cut(int argc, char** argv) {
  common::CommandLine cl("recording cut", "Copies the events of a time range into a new file.");
  cl.option("from", "start (ns or ISO UTC, inclusive)", "0").option("to", "end (ns or ISO UTC, inclusive)", "9223372036854775807")
      .option("out", "output file").flag("force", "overwrite");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.positional().size() != 1 || cl.get("out").empty()) throw std::invalid_argument("recording cut FILE --from T --to T --out FILE");
  const auto from = parseTime(cl.get("from"), "from"), to = parseTime(cl.get("to"), "to");
  std::vector<std::unique_ptr<SessionReader>> in;
  in.push_back(std::make_unique<SessionReader>(cl.positional()[0]));
  in[0]->seekTime(from);
  SessionInfo info = in[0]->info();
  info.start_ns = from > info.start_ns ? from : info.start_ns;
  data_store::recording::WriterOptions wo;
  wo.overwrite = cl.has("force");
  SessionWriter w(cl.get("out"), info, wo);
  std::vector<std::string> errors;
  const uint64_t n = mergeInto(in, w, false, [&](const common::EventHeader& e) {
    const auto t = common::eventTime(e);
    return t >= from && t <= to;
  }, errors);
  w.close();
  std::printf("cut %" PRIu64 " events into %s\n", n, cl.get("out").c_str());
  for (const auto& e : errors) std::fprintf(stderr, "recording cut: stopped early: %s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

int merge(int argc, char** argv) {
  common::CommandLine cl("recording merge", "Merges sessions by event time into one file (sequences renumbered).");
  cl.option("out", "output file").option("session", "session name of the result", "merged").flag("force", "overwrite");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.positional().empty() || cl.get("out").empty()) throw std::invalid_argument("recording merge --out FILE IN...");
  std::vector<std::unique_ptr<SessionReader>> in;
  SessionInfo info{cl.get("session"), "", 0, {}};
  std::set<std::string> venues;
  for (const auto& p : cl.positional()) {
    in.push_back(std::make_unique<SessionReader>(p));
    const auto& i = in.back()->info();
    venues.insert(i.venue);
    if (!info.start_ns || (i.start_ns && i.start_ns < info.start_ns)) info.start_ns = i.start_ns;
    for (const auto& inst : i.instruments) {
      bool known = false;
      for (const auto& have : info.instruments) {
        if (have.id != inst.id) continue;
        if (!(have == inst))
          throw std::invalid_argument(p + ": instrument id " + std::to_string(inst.id) + " means " + inst.name +
                                      " here but " + have.name + " in an earlier file");
        known = true;
      }
      if (!known) info.instruments.push_back(inst);
    }
  }
  info.venue = venues.size() == 1 ? *venues.begin() : "multi";
  data_store::recording::WriterOptions wo;
  wo.overwrite = cl.has("force");
  SessionWriter w(cl.get("out"), info, wo);
  std::vector<std::string> errors;
  const uint64_t n = mergeInto(in, w, true, [](const common::EventHeader&) { return true; }, errors);
  w.close();
  std::printf("merged %" PRIu64 " events from %zu files into %s\n", n, in.size(), cl.get("out").c_str());
  for (const auto& e : errors) std::fprintf(stderr, "recording merge: stopped early: %s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

// ---------------------------------------------------------------- import
int import(int argc, char** argv) {
  common::CommandLine cl("recording import", "Imports real data files (plain or gzip) into a session file.");
  cl.option("format", "input format (see --list-formats)").option("out", "output file")
      .option("config", "system config (instrument registry)", "config/system.json")
      .option("session", "session name", "import").flag("list-formats", "list the formats and exit").flag("force", "overwrite");
  if (!cl.parse(argc, argv)) return 0;
  auto importers = api::allImporters();
  if (cl.has("list-formats")) {
    for (const auto& i : importers) std::printf("%-26s %s\n", i->name().c_str(), i->description().c_str());
    return 0;
  }
  api::IImporter* chosen = nullptr;
  std::string names;
  for (const auto& i : importers) {
    names += (names.empty() ? "" : ", ") + i->name();
    if (i->name() == cl.get("format")) chosen = i.get();
  }
  if (!chosen) throw std::invalid_argument("--format: unknown format \"" + cl.get("format") + "\" (valid: " + names + ")");
  if (cl.get("out").empty() || cl.positional().empty()) throw std::invalid_argument("recording import --format NAME --out FILE INPUT...");
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const auto reg = config::InstrumentRegistry::loadFile(sys.instruments_file);
  data_store::recording::WriterOptions wo;
  wo.overwrite = cl.has("force");
  wo.flush_interval_ns = 1'000'000'000;  // one frame per second of data: seekable, compresses well
  api::SessionImportSink sink(cl.get("out"), cl.get("session"), chosen->name(), tableOf(reg, false), wo);
  api::ImportStats stats;
  api::ImportContext ctx{reg, sink, stats};
  int rc = 0;
  for (const auto& input : cl.positional()) {
    try {
      chosen->importFile(input, ctx);
    } catch (const api::ImportError& e) {
      std::fprintf(stderr, "recording import: %s\n", e.what());
      rc = 1;
      break;  // what was imported before the bad line stays in the file
    }
  }
  sink.close();
  std::printf("imported %" PRIu64 " events from %" PRIu64 " lines (%" PRIu64 " skipped) into %s\n", stats.events,
              stats.lines, stats.skipped, cl.get("out").c_str());
  for (uint16_t t = 1; t < common::kEventTypeCount; ++t)
    if (stats.by_type[t]) std::printf("  %-16s %" PRIu64 "\n", common::toString(static_cast<common::EventType>(t)), stats.by_type[t]);
  if (stats.clock_skew_lines)
    std::printf("  %" PRIu64 " lines were received before their exchange time (collector clock offset; kept as is)\n",
                stats.clock_skew_lines);
  for (const auto& n : stats.notes) std::printf("  note: %s\n", n.c_str());
  return rc;
}

// ---------------------------------------------------------------- latency
int latency(int argc, char** argv) {
  common::CommandLine cl("recording latency",
                         "Order-entry latency measured in live sessions (venue time - local send time of each New ack).");
  cl.flag("json", "print {\"kind\": \"replayed\", \"samples_ns\": [...]} for a backtest's order_latency");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.positional().empty()) throw std::invalid_argument("recording latency FILE...");
  const auto m = execution_engine::backtest::readRecordedLatency(cl.positional());
  for (const auto& e : m.errors) std::fprintf(stderr, "recording latency: %s\n", e.c_str());
  if (cl.has("json")) {
    std::printf("%s\n", nlohmann::json{{"kind", "replayed"}, {"samples_ns", m.samples_ns}}.dump().c_str());
  } else {
    std::vector<int64_t> s = m.samples_ns;
    std::sort(s.begin(), s.end());
    std::printf("%zu samples from %" PRIu64 " execution reports (%" PRIu64 " New acks without both timestamps)\n", s.size(),
                m.reports, m.skipped);
    if (!s.empty()) {
      auto q = [&](double p) { return static_cast<double>(s[static_cast<size_t>(p * static_cast<double>(s.size() - 1))]) / 1e3; };
      std::printf("  min %.1f us  p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n", q(0), q(0.5), q(0.9), q(0.99), q(1));
    }
  }
  if (m.samples_ns.empty()) return 1;
  return m.errors.empty() ? 0 : 1;
}

int usage() {
  std::puts("usage: recording COMMAND [options]   (COMMAND --help for details)\n"
            "  generate --events N --out FILE   synthetic session through the recorder's writer\n"
            "  info FILE... [--json]             instruments, time range, counts by type, gaps, compression\n"
            "  verify FILE...                    checksums, sequence order, schema version (exit 0 only when sound)\n"
            "  cat FILE... [--format csv|jsonl]  events as text\n"
            "  cut FILE --from T --to T --out F  a time range into a new file\n"
            "  merge --out FILE IN...            merge by event time\n"
            "  import --format NAME --out FILE INPUT...   real data (--list-formats)\n"
            "  latency FILE... [--json]          order-entry latency measured in live sessions (for replayed latency)");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "generate") return generate(argc - 1, argv + 1);
    if (cmd == "info") return info(argc - 1, argv + 1);
    if (cmd == "verify") return verify(argc - 1, argv + 1);
    if (cmd == "cat") return cat(argc - 1, argv + 1);
    if (cmd == "cut") return cut(argc - 1, argv + 1);
    if (cmd == "merge") return merge(argc - 1, argv + 1);
    if (cmd == "import") return import(argc - 1, argv + 1);
    if (cmd == "latency") return latency(argc - 1, argv + 1);
    if (cmd == "--help" || cmd == "-h") return usage() == 2 ? 0 : 0;
    std::fprintf(stderr, "recording: unknown command \"%s\"\n", cmd.c_str());
    return usage();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recording %s: error: %s\n", cmd.c_str(), e.what());
    return 2;
  }
}
