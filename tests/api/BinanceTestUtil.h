#pragma once
// Shared by the Binance parser, book-sync and capture-importer tests: fixture paths, an
// in-memory import sink, and a plain std::map order book rebuilt from BookDelta events.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "api/import/IImporter.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::test {

/// tests/api/data/<name>: in-repo fixtures, always present.
inline std::string fixturePath(const std::string& name) { return std::string(HFT_TEST_DATA_DIR) + "/" + name; }

/// <repo>/../shared/<rel>: the venue samples; tests using them skip when absent.
inline std::string sharedPath(const std::string& rel) { return std::string(HFT_SHARED_DIR) + "/" + rel; }
inline bool sharedAvailable() { return std::filesystem::is_directory(sharedPath("exchange-samples")); }
#define HFT_SKIP_WITHOUT_SHARED() \
  if (!hft::test::sharedAvailable()) GTEST_SKIP() << "no " << HFT_SHARED_DIR << "/exchange-samples"

/// Whole file, without a trailing newline (one JSON message per sample file).
inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

/// tests/api/data/instruments.json: BTCUSDT/ETHUSDT spot, BTCUSDT USD-M (price scale 6 so
/// the venue's doc examples such as "0.0024" fit), and BNBBTC/BNBUSDT at 8 decimals.
inline const config::InstrumentRegistry& fixtureInstruments() {
  static const auto reg = config::InstrumentRegistry::loadFile(fixturePath("instruments.json"));
  return reg;
}

/// tests/api/data/instruments_real.json: BTCUSDT spot and USD-M as the real 2024-08-08 captures
/// need them. Spot qty_scale is 8, not the shipped 5: resting orders from before Binance
/// coarsened the BTCUSDT step size still show 6-decimal level quantities (25.426189 at 200000).
inline const config::InstrumentRegistry& realDataInstruments() {
  static const auto reg = config::InstrumentRegistry::loadFile(fixturePath("instruments_real.json"));
  return reg;
}

/// Keeps every event, in order.
struct MemorySink final : api::IImportSink {
  std::vector<common::EventBuffer> events;
  void emit(common::EventHeader& e) override {
    e.sequence = events.size() + 1;
    common::EventBuffer b{};
    std::memcpy(b.bytes, &e, e.size);
    events.push_back(b);
  }
  std::vector<common::EventType> types() const {
    std::vector<common::EventType> t;
    for (const auto& e : events) t.push_back(e.header().type);
    return t;
  }
};

/// An L2 book rebuilt from BookDelta chains only, as a consumer of the bus would.
struct L2Book {
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  uint64_t updateId = 0;  ///< last_update_id of the last complete chain
  bool valid = false;     ///< a snapshot was applied and no Gap came since
  bool midChain = false;  ///< inside a kContinuation chain: not a consistent state

  void apply(const common::BookDelta& d) {
    if (d.flags & common::BookDelta::kClearBook) {
      bids.clear();
      asks.clear();
    }
    for (uint16_t i = 0; i < d.count; ++i) {
      const auto& l = d.levels[i];
      if (l.side == common::Side::Buy) set(bids, l.price, l.qty);
      else set(asks, l.price, l.qty);
    }
    midChain = (d.flags & common::BookDelta::kContinuation) != 0;
    if (!midChain) {
      updateId = d.last_update_id;
      if (d.flags & common::BookDelta::kFromSnapshot) valid = true;
    }
  }
  template <class M>
  static void set(M& side, int64_t price, int64_t qty) {
    if (qty == 0) side.erase(price);
    else side[price] = qty;
  }
  /// Best bid and ask agree with a venue quote (prices and quantities).
  bool agreesWith(const common::BestBidOffer& q) const {
    return !bids.empty() && !asks.empty() && bids.begin()->first == q.bid_price &&
           bids.begin()->second == q.bid_qty && asks.begin()->first == q.ask_price &&
           asks.begin()->second == q.ask_qty;
  }
};

}  // namespace hft::test
