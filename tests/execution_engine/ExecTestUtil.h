#pragma once
// Scratch directories, file surgery and event builders shared by the execution_engine tests.
// Events are built with common::makeHeader, so they carry the header a producer would stamp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::test {

/// A fresh directory under $TMPDIR (mkdtemp), removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hft-exec-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path.string(); }
  std::string sub(const std::string& name) const { return (path / name).string(); }
};

inline std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeAll(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// Every part must occur in the message (file name, offset, reason...).
inline void expectMentions(const std::string& message, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts)
    EXPECT_NE(message.find(p), std::string::npos) << "message lacks \"" << p << "\": " << message;
}

inline constexpr common::InstrumentId kBtcUsdt = 1;  // binance BTC/USDT: price 2 dp, qty 5 dp
inline constexpr common::InstrumentId kBtcKrw = 2;   // upbit BTC/KRW: price 0 dp, qty 8 dp
/// 2024-05-01T12:00:00Z
inline constexpr common::TimestampNs kMay1Noon = 1'714'564'800'000'000'000;
inline constexpr int64_t kHourNs = 3'600'000'000'000;

inline config::InstrumentRegistry testRegistry() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT",
     "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "5"},
    {"id": 2, "exchange": "upbit", "base": "BTC", "quote": "KRW", "venue_symbol": "KRW-BTC",
     "price_scale": 0, "qty_scale": 8, "tick_size": "1000", "lot_size": "0.00000001", "min_notional": "5000"}
  ]})"),
                                              "test instruments");
}

inline common::OrderRequest newOrder(common::ClientOrderId id, int64_t price, int64_t qty,
                                     common::Side side = common::Side::Buy,
                                     common::ExchangeId venue = common::ExchangeId::Binance,
                                     common::InstrumentId instrument = kBtcUsdt) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(venue, instrument, 0, kMay1Noon);
  r.client_order_id = id;
  r.price = price;
  r.qty = qty;
  r.strategy_id = 7;
  r.action = common::OrderAction::New;
  r.side = side;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  r.request_ts_ns = kMay1Noon;
  return r;
}

inline common::OrderRequest cancelOrder(common::ClientOrderId id, common::ClientOrderId orig,
                                        common::ExchangeId venue = common::ExchangeId::Binance) {
  common::OrderRequest r = newOrder(id, 0, 0, common::Side::Buy, venue);
  r.action = common::OrderAction::Cancel;
  r.orig_client_order_id = orig;
  return r;
}

inline common::ExecutionReport fillReport(common::ClientOrderId id, int64_t price, int64_t qty,
                                          common::TimestampNs ts = kMay1Noon) {
  common::ExecutionReport x{};
  x.header = common::makeHeader<common::ExecutionReport>(common::ExchangeId::Binance, kBtcUsdt, ts, ts + 1000);
  x.client_order_id = id;
  x.venue_order_id = 9'000'000'000'000'000'001ull;  // beyond 2^53: must survive as text
  x.last_price = price;
  x.last_qty = qty;
  x.cum_qty = qty;
  x.leaves_qty = 0;
  x.order_price = price;
  x.fee = 5'000'000;  // 0.05
  common::setAsset(x.fee_asset, "USDT");
  x.local_send_ts_ns = ts - 2'000'000;
  x.venue_ts_ns = ts;
  x.strategy_id = 7;
  x.exec_type = common::ExecType::Filled;
  x.side = common::Side::Buy;
  x.liquidity = common::Liquidity::Maker;
  x.order_type = common::OrderType::Limit;
  x.tif = common::TimeInForce::GTC;
  x.avg_price = price;
  x.trade_id = 77;
  return x;
}

inline common::BalanceUpdate balance(const char* asset, int64_t free, int64_t locked) {
  common::BalanceUpdate b{};
  b.header = common::makeHeader<common::BalanceUpdate>(common::ExchangeId::Binance, 0, kMay1Noon, kMay1Noon);
  common::setAsset(b.asset, asset);
  b.free = free;
  b.locked = locked;
  return b;
}

}  // namespace hft::test
