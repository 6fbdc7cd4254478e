#pragma once
// Shared by the recording tests: deterministic events of every type, a temp directory, file
// helpers, and a read-everything loop.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/Events.h"
#include "data_store/recording/SessionReader.h"
#include "data_store/recording/SessionWriter.h"

namespace hft::test {

namespace rec = hft::data_store::recording;
using Bytes = std::vector<unsigned char>;

inline constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
inline constexpr common::TimestampNs kTick = 1'000'000;  ///< event i has exchange_ts kT0 + i * kTick

/// splitmix64: a deterministic value per (event, field) so any event can be rebuilt alone.
inline uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <class E>
Bytes bytesOf(const E& e) {
  Bytes b(e.header.size);
  std::memcpy(b.data(), &e, b.size());
  return b;
}

/// Event i of the test stream: every type in turn, BookDelta with 0..16 levels.
inline Bytes makeEvent(uint64_t i) {
  using namespace common;
  const TimestampNs ts = kT0 + static_cast<TimestampNs>(i) * kTick;
  const auto instrument = static_cast<InstrumentId>(1 + i % 3);
  const auto r = [i](uint64_t field) { return mix(i * 64 + field); };
  const auto price = static_cast<int64_t>(6'500'000 + r(1) % 1000);
  auto header = [&]<class E>(E& e, uint16_t size = sizeof(E)) {
    e.header = makeHeader<E>(ExchangeId::Binance, instrument, ts, ts + 250'000, size);
    e.header.sequence = i + 1;
  };
  switch (i % 11) {
    case 0: {
      Trade e{};
      header(e);
      e.price = price, e.qty = static_cast<int64_t>(r(2) % 5000), e.trade_id = 9'000'000 + i;
      e.aggressor = r(3) % 2 ? Side::Buy : Side::Sell;
      return bytesOf(e);
    }
    case 1: {
      BestBidOffer e{};
      header(e);
      e.bid_price = price, e.ask_price = price + 1, e.bid_qty = static_cast<int64_t>(r(2) % 900);
      e.ask_qty = static_cast<int64_t>(r(3) % 900), e.update_id = 77'000'000 + i;
      return bytesOf(e);
    }
    case 2: {
      BookDelta e{};
      e.count = static_cast<uint16_t>(r(2) % (BookDelta::kMaxLevels + 1));
      header(e, BookDelta::sizeFor(e.count));
      e.first_update_id = e.last_update_id = 77'000'000 + i;
      for (uint16_t l = 0; l < e.count; ++l)
        e.levels[l] = {price - l, static_cast<int64_t>(r(10 + l) % 700), l % 2 ? Side::Buy : Side::Sell, {}};
      return bytesOf(e);
    }
    case 3: {
      BookSnapshot e{};
      header(e);
      e.last_update_id = i, e.bid_count = e.ask_count = BookSnapshot::kDepth;
      for (uint16_t l = 0; l < BookSnapshot::kDepth; ++l) {
        e.bids[l] = {price - l, static_cast<int64_t>(r(20 + l) % 300)};
        e.asks[l] = {price + 1 + l, static_cast<int64_t>(r(40 + l) % 300)};
      }
      return bytesOf(e);
    }
    case 4: {
      OrderRequest e{};
      header(e);
      e.client_order_id = 1000 + i, e.price = price, e.qty = 10, e.strategy_id = 7, e.request_ts_ns = ts;
      return bytesOf(e);
    }
    case 5: {
      ExecutionReport e{};
      header(e);
      e.client_order_id = 1000 + i, e.last_price = price, e.last_qty = 3, e.cum_qty = 3, e.fee = 12;
      setAsset(e.fee_asset, "USDT");
      return bytesOf(e);
    }
    case 6: {
      BalanceUpdate e{};
      header(e);
      setAsset(e.asset, "BTC");
      e.free = static_cast<int64_t>(r(2) % 100'000'000);
      return bytesOf(e);
    }
    case 7: {
      PositionUpdate e{};
      header(e);
      e.qty = static_cast<int64_t>(r(2) % 100) - 50, e.avg_entry_price = price, e.strategy_id = 7;
      return bytesOf(e);
    }
    case 8: {
      Heartbeat e{};
      header(e);
      e.pid = 4242, e.counter = i;
      return bytesOf(e);
    }
    case 9: {
      Control e{};
      header(e);
      e.command = ControlCommand::SnapshotMarker, e.arg = 3, e.value = static_cast<int64_t>(i);
      return bytesOf(e);
    }
    default: {
      Gap e{};
      header(e);
      e.lost_count = r(2) % 10, e.reason = GapReason::FeedReconnect;
      return bytesOf(e);
    }
  }
}

inline std::vector<Bytes> makeEvents(uint64_t n) {
  std::vector<Bytes> events;
  events.reserve(n);
  for (uint64_t i = 0; i < n; ++i) events.push_back(makeEvent(i));
  return events;
}

inline rec::SessionInfo sampleInfo() {
  using common::ExchangeId;
  return {"binance-md-test", "binance", kT0 - 5'000'000'000,
          {{1, ExchangeId::Binance, 2, 5, "BTCUSDT", "BINANCE:BTC-USDT"},
           {2, ExchangeId::Binance, 2, 4, "ETHUSDT", "BINANCE:ETH-USDT"},
           {3, ExchangeId::BinanceFutures, 1, 3, "BTCUSDT", "BINANCE_FUTURES:BTC-USDT-PERP"}}};
}

/// Writes `events` to `path` with the sample session info and closes it.
inline void writeSession(const std::string& path, const std::vector<Bytes>& events,
                         const rec::WriterOptions& opts = {}) {
  rec::SessionWriter w(path, sampleInfo(), opts);
  for (const Bytes& e : events) w.append(e.data(), e.size());
  w.close();
}

struct ReadOutcome {
  std::vector<Bytes> events;
  rec::ReadResult last = rec::ReadResult::Error;
  std::string error;
  bool aligned = true;  ///< every event pointer was 8-aligned
};

inline ReadOutcome readAll(rec::SessionReader& r) {
  ReadOutcome out;
  const common::EventHeader* e = nullptr;
  while ((out.last = r.next(e)) == rec::ReadResult::Event) {
    out.aligned = out.aligned && reinterpret_cast<uintptr_t>(e) % 8 == 0;
    const auto* p = reinterpret_cast<const unsigned char*>(e);
    out.events.emplace_back(p, p + e->size);
  }
  out.error = r.error();
  return out;
}

inline Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void writeFile(const std::string& path, const unsigned char* data, size_t n) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
}

inline bool haveLz4Cli() { return std::system("command -v lz4 >/dev/null 2>&1") == 0; }

/// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("hft_recording_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace hft::test
