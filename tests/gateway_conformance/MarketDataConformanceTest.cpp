// Market-data conformance: every venue's IGateway, run in-process against the real
// build/bin/exchange_simulator of that venue (one simulator per test), must connect, deliver
// only what it subscribed, keep books that the BookChecker finds consistent and equal to the
// venue's own REST book, and announce and repair every discontinuity (disconnect, dropped diff).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "BookChecker.h"
#include "RecordingSinks.h"
#include "SimulatorUnderTest.h"
#include "venues/Venues.h"

namespace hft::test::conformance {
namespace {

using common::EventType;
using Clock = std::chrono::steady_clock;

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(sourceFile("config/instruments.json"));
  return r;
}

class MarketDataConformance : public ::testing::TestWithParam<ConformanceVenue> {
 protected:
  const ConformanceVenue& venue() const { return GetParam(); }
  const config::Instrument& instrument(const std::string& symbol) const {
    const config::Instrument* i = registry().byVenueSymbol(venue().exchange, symbol);
    if (i == nullptr) throw std::runtime_error(venue().name + ": " + symbol + " is not in config/instruments.json");
    return *i;
  }

  /// The simulator (serving the subscribed symbols, plus the unsubscribed one when asked) and
  /// the gateway subscribed to venue().symbols, started.
  void start(int eventsPerSecond, bool alsoUnsubscribed = false) {
    std::vector<std::string> served = venue().symbols;
    if (alsoUnsubscribed) served.push_back(venue().unsubscribed_symbol);
    sim = std::make_unique<SimulatorUnderTest>(venue(), served, eventsPerSecond);
    ASSERT_NE(sim->port(), 0) << sim->output();
    for (const auto& s : venue().symbols) {
      const auto& inst = instrument(s);
      books.emplace(inst.id, BookChecker(venue().book_feed, inst.id));
    }
    sink.observer = [this](const common::EventBuffer& b) {
      if (auto it = books.find(b.header().instrument_id); it != books.end()) it->second.onEvent(b);
    };
    gateway = venue().market_data(sim->endpoint(), registry(), venue().symbols);
    ASSERT_NE(gateway, nullptr);
    gateway->start(sink);
  }
  void TearDown() override {
    if (gateway) gateway->stop();
    for (const auto& [id, book] : books)
      EXPECT_TRUE(book.violations().empty()) << venue().name << " instrument " << id << ": "
                                             << ::testing::PrintToString(book.violations());
    EXPECT_TRUE(sink.malformed.empty()) << ::testing::PrintToString(sink.malformed);
  }

  /// Polls the gateway until `done()` or `ms` of wall time (a generous bound, never asserted on).
  template <class Done>
  bool pollUntil(Done done, int ms = 10000) {
    const auto end = Clock::now() + std::chrono::milliseconds(ms);
    while (!done()) {
      if (Clock::now() > end) return false;
      if (gateway->poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }
  void pollFor(int ms) {
    pollUntil([] { return false; }, ms);
  }
  /// Every subscribed book synced with `updates` complete updates and `trades` trades.
  bool everyBookHas(size_t updates, size_t trades) const {
    for (const auto& [id, book] : books)
      if (!book.valid() || book.updates() < updates || book.trades() < trades) return false;
    return true;
  }
  std::string progress() const {
    std::string s;
    for (const auto& [id, book] : books)
      s.append("instrument ").append(std::to_string(id)).append(": valid ").append(book.valid() ? "yes" : "no")
          .append(", updates ").append(std::to_string(book.updates())).append(", trades ")
          .append(std::to_string(book.trades())).append(", gaps ").append(std::to_string(book.gaps()))
          .append(", resyncs ").append(std::to_string(book.resyncs())).append("; ");
    return s;
  }

  std::unique_ptr<SimulatorUnderTest> sim;
  std::map<common::InstrumentId, BookChecker> books;
  RecordingEventSink sink;  // outlives the gateway that holds it
  std::unique_ptr<interfaces::IGateway> gateway;
};

/// Top levels equal (prices and sizes), the first `n` of each side.
std::string compareTops(const std::vector<common::BookLevel>& stream, const std::vector<common::BookLevel>& rest,
                        size_t n, const char* side) {
  if (stream.size() < n || rest.size() < n)
    return std::string(side) + ": fewer than " + std::to_string(n) + " levels (stream " + std::to_string(stream.size()) +
           ", REST " + std::to_string(rest.size()) + ")";
  for (size_t i = 0; i < n; ++i)
    if (stream[i].price != rest[i].price || stream[i].qty != rest[i].qty)
      return std::string(side) + "[" + std::to_string(i) + "]: stream " + std::to_string(stream[i].price) + " x " +
             std::to_string(stream[i].qty) + ", REST " + std::to_string(rest[i].price) + " x " +
             std::to_string(rest[i].qty);
  return {};
}

// Connect: data for every subscribed instrument within seconds, and no Gap at start beyond the
// ones the venue's gateway documents (gaps_at_start).
TEST_P(MarketDataConformance, connectsAndDeliversBooksAndTradesWithoutAGapAtStart) {
  ASSERT_NO_FATAL_FAILURE(start(100));
  EXPECT_TRUE(pollUntil([&] { return everyBookHas(3, 1); })) << progress();
  EXPECT_EQ(sink.count(EventType::Gap), venue().gaps_at_start * venue().symbols.size())
      << "Gaps before any discontinuity";
  for (const auto& b : sink.events) EXPECT_GT(b.header().receive_ts_ns, 0) << "event without a receive time";
}

// Subscribe: events for every subscribed instrument with the registry's instrument id and the
// venue's exchange id, none for a symbol the simulator also serves but nobody subscribed.
TEST_P(MarketDataConformance, deliversEveryEventForSubscribedInstrumentsOnlyWithTheirIds) {
  ASSERT_NO_FATAL_FAILURE(start(100, true));
  const auto& other = instrument(venue().unsubscribed_symbol);
  RestBook otherBook;
  std::string error;
  ASSERT_TRUE(venue().rest_book(sim->endpoint(), other, otherBook, error)) << error;
  ASSERT_FALSE(otherBook.bids.empty()) << "the simulator serves " << other.venue_symbol << " (else this proves nothing)";
  EXPECT_TRUE(pollUntil([&] { return everyBookHas(3, 1); })) << progress();
  pollFor(300);
  std::set<common::InstrumentId> subscribed;
  for (const auto& s : venue().symbols) subscribed.insert(instrument(s).id);
  size_t foreign = 0, wrongExchange = 0;
  for (const auto& b : sink.events) {
    if (!subscribed.count(b.header().instrument_id)) ++foreign;
    if (b.header().exchange_id != venue().exchange) ++wrongExchange;
  }
  EXPECT_EQ(foreign, 0u) << "events naming an instrument nobody subscribed (e.g. " << other.venue_symbol << ")";
  EXPECT_EQ(sink.count(EventType::Trade, other.id) + sink.count(EventType::BookDelta, other.id) +
                sink.count(EventType::BookSnapshot, other.id),
            0u);
  EXPECT_EQ(wrongExchange, 0u);
  for (const auto& s : venue().symbols) {
    const auto id = instrument(s).id;
    EXPECT_GT(sink.count(EventType::Trade, id), 0u) << s;
    EXPECT_GT(sink.count(EventType::BookDelta, id) + sink.count(EventType::BookSnapshot, id), 0u) << s;
  }
}

// BookSync: the books the events build are never crossed, their update ids chain (BookChecker,
// checked in TearDown), and they equal the venue's REST book: at the very update id where the
// venue gives one, else at a quiet moment (no book change from before the REST read until
// well after it).
TEST_P(MarketDataConformance, booksStayConsistentAndEqualTheVenuesRestBook) {
  ASSERT_NO_FATAL_FAILURE(start(10));  // a calm market: quiet moments and diffs ending at a REST id are common
  ASSERT_TRUE(pollUntil([&] { return everyBookHas(3, 0); })) << progress();
  for (const auto& symbol : venue().symbols) {
    const auto& inst = instrument(symbol);
    BookChecker& book = books.at(inst.id);
    int compared = 0;
    for (int attempt = 0; attempt < 40 && compared < 2; ++attempt) {
      RestBook rest;
      std::string error;
      const size_t before = book.updates();
      ASSERT_TRUE(venue().rest_book(sim->endpoint(), inst, rest, error)) << error;
      const size_t n = std::min<size_t>({BookChecker::kKeptLevels, rest.bids.size(), rest.asks.size()});
      ASSERT_GT(n, 0u) << "empty REST book for " << symbol;
      if (rest.update_id != 0) {
        if (!pollUntil([&] { return book.lastUpdateId() >= rest.update_id; }, 5000)) continue;
        // At an id the diffs reached (not the gateway's own snapshot), where the stream stood still.
        const BookChecker::Top* top = rest.update_id > book.snapshotUpdateId() ? book.topAt(rest.update_id) : nullptr;
        if (top == nullptr) {  // the REST read fell inside an aggregated diff, or on the snapshot
          pollFor(100);
          continue;
        }
        EXPECT_EQ(compareTops(top->bids, rest.bids, n, "bids"), "") << symbol << " at update " << rest.update_id;
        EXPECT_EQ(compareTops(top->asks, rest.asks, n, "asks"), "") << symbol << " at update " << rest.update_id;
      } else {
        pollFor(300);
        if (book.updates() != before) continue;  // the book moved around the read
        const BookChecker::Top top = book.top();
        EXPECT_EQ(compareTops(top.bids, rest.bids, n, "bids"), "") << symbol;
        EXPECT_EQ(compareTops(top.asks, rest.asks, n, "asks"), "") << symbol;
      }
      ++compared;
      pollFor(300);  // the next comparison at another state of the book
    }
    EXPECT_GT(compared, 0) << symbol << ": never found a moment to compare with the REST book; " << progress();
  }
}

// Reconnect: a dropped connection is announced (Gap FeedReconnect per instrument), then the
// book is rebuilt and data flows again.
TEST_P(MarketDataConformance, reconnectsAfterADisconnectWithAGapAndAResyncedBook) {
  ASSERT_NO_FATAL_FAILURE(start(100));
  ASSERT_TRUE(pollUntil([&] { return everyBookHas(3, 1); })) << progress();
  std::map<common::InstrumentId, std::pair<size_t, size_t>> before;  // updates, trades
  for (const auto& [id, book] : books) before[id] = {book.updates(), book.trades()};
  ASSERT_EQ(sim->fault("kind=disconnect"), 200);
  EXPECT_TRUE(pollUntil([&] {
    for (const auto& [id, book] : books)
      if (book.reconnectGaps() == 0 || book.resyncs() == 0 || !book.valid() ||
          book.updates() < before[id].first + 2 || book.trades() <= before[id].second)
        return false;
    return true;
  })) << progress();
  for (const auto& [id, book] : books) {
    EXPECT_GE(book.reconnectGaps(), 1u) << "instrument " << id << ": no Gap(FeedReconnect)";
    EXPECT_GE(book.resyncs(), 1u) << "instrument " << id << ": book not rebuilt after the Gap";
  }
}

// GapDetection (venues with sequenced diffs): a diff the venue never delivers is noticed
// (Gap FeedSequenceGap) and the book resynced from a new snapshot.
class SequencedBookConformance : public MarketDataConformance {};

TEST_P(SequencedBookConformance, detectsADroppedDiffWithAGapAndResyncs) {
  ASSERT_NO_FATAL_FAILURE(start(100));
  ASSERT_TRUE(pollUntil([&] { return everyBookHas(3, 0); })) << progress();
  ASSERT_EQ(sim->fault("kind=gap&count=1"), 200);
  EXPECT_TRUE(pollUntil([&] {
    for (const auto& [id, book] : books)
      if (book.sequenceGaps() > 0 && book.resyncs() > 0 && book.valid()) return true;
    return false;
  })) << progress();
  const auto state = sim->state();
  ASSERT_FALSE(state.is_discarded());
  EXPECT_GE(state["faults"]["gap"]["injected"].get<int>(), 1) << state["faults"].dump();
  size_t gapped = 0;
  for (const auto& [id, book] : books) gapped += book.sequenceGaps();
  EXPECT_GE(gapped, 1u) << "no Gap(FeedSequenceGap) for a dropped diff; " << progress();
}

std::string venueName(const ::testing::TestParamInfo<ConformanceVenue>& param) { return param.param.name; }

std::vector<ConformanceVenue> sequencedVenues() {
  std::vector<ConformanceVenue> out;
  for (const auto& v : allVenues())
    if (v.book_feed == BookFeed::DiffsWithSnapshot) out.push_back(v);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Venue, MarketDataConformance, ::testing::ValuesIn(allVenues()), venueName);
INSTANTIATE_TEST_SUITE_P(Venue, SequencedBookConformance, ::testing::ValuesIn(sequencedVenues()), venueName);

}  // namespace
}  // namespace hft::test::conformance
