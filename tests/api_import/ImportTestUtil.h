#pragma once
// Helpers of the importer tests: a registry built through the production loader, a sink that
// keeps every event, temp files (plain and gzip) and error capture.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/import/BinanceCsvImporters.h"
#include "api/import/IImporter.h"
#include "api/import/TardisCsvImporters.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::test {

/// Spot and futures BTCUSDT (futures has the coarser qty scale 3), a futures-only SOLUSDT, the
/// ADABTC of the real klines sample, and Upbit KRW-BTC.
inline const config::InstrumentRegistry& registry() {
  static const config::InstrumentRegistry reg = [] {
    auto inst = [](int id, const char* ex, const char* base, const char* quote, int ps, int qs, const char* tick,
                   const char* lot) {
      return nlohmann::json{{"id", id},          {"exchange", ex},    {"base", base},
                            {"quote", quote},    {"price_scale", ps}, {"qty_scale", qs},
                            {"tick_size", tick}, {"lot_size", lot},   {"min_notional", "0"}};
    };
    const nlohmann::json doc = {{"instruments",
                                 {inst(1, "binance", "BTC", "USDT", 2, 5, "0.01", "0.00001"),
                                  inst(2, "binance", "ETH", "USDT", 2, 4, "0.01", "0.0001"),
                                  inst(3, "binance_futures", "BTC", "USDT", 2, 3, "0.10", "0.001"),
                                  inst(4, "binance_futures", "SOL", "USDT", 3, 0, "0.010", "1"),
                                  inst(5, "binance", "ADA", "BTC", 8, 1, "0.00000001", "0.1"),
                                  inst(6, "upbit", "BTC", "KRW", 0, 8, "1000", "0.00000001")}}};
    return config::InstrumentRegistry::fromJson(doc, "test/instruments.json");
  }();
  return reg;
}

/// Keeps a copy of every emitted event.
struct CollectingSink : api::IImportSink {
  std::vector<common::EventBuffer> events;
  void emit(common::EventHeader& e) override {
    common::EventBuffer b;
    std::memset(b.bytes, 0, sizeof b.bytes);
    std::memcpy(b.bytes, &e, e.size);
    events.push_back(b);
  }
};

/// The importer named `format`, from either factory.
inline api::IImporter& importer(const std::string& format) {
  static const auto all = [] {
    auto v = api::makeBinanceCsvImporters();
    for (auto& i : api::makeTardisCsvImporters()) v.push_back(std::move(i));
    return v;
  }();
  for (const auto& i : all)
    if (i->name() == format) return *i;
  throw std::runtime_error("no importer named " + format);
}

struct Imported {
  std::vector<common::EventBuffer> events;
  api::ImportStats stats;
  template <class E>
  const E& at(size_t i) const {
    EXPECT_EQ(events.at(i).header().type, E::kType) << "event " << i;
    return events.at(i).as<E>();
  }
};

inline Imported importFile(const std::string& format, const std::string& path) {
  CollectingSink sink;
  Imported r;
  api::ImportContext ctx{registry(), sink, r.stats};
  importer(format).importFile(path, ctx);
  r.events = std::move(sink.events);
  return r;
}

/// The ImportError message, or "" when the import succeeds.
inline std::string importError(const std::string& format, const std::string& path) {
  try {
    importFile(format, path);
  } catch (const api::ImportError& e) {
    return e.what();
  }
  return "";
}

/// Every one of `parts` must appear in the message.
inline void expectMentions(const std::string& message, std::initializer_list<std::string> parts) {
  EXPECT_FALSE(message.empty()) << "expected an ImportError";
  for (const std::string& p : parts)
    EXPECT_NE(message.find(p), std::string::npos) << "'" << p << "' not in: " << message;
}

inline std::string fixture(const std::string& rel) { return std::string(HFT_TEST_DATA_DIR) + "/" + rel; }

inline std::string readText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// A fresh directory per test (tests may run in parallel processes), removed at the end.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "hft_api_import_";
    name.append(std::to_string(::getpid()))
        .append("_")
        .append(info->test_suite_name())
        .append("_")
        .append(info->name());
    dir_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `text` at dir/rel (creating directories); returns the full path.
  std::string write(const std::string& rel, const std::string& text) const {
    const auto p = dir_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  /// The same through zlib's gzip writer.
  std::string writeGz(const std::string& rel, const std::string& text) const {
    const auto p = dir_ / rel;
    std::filesystem::create_directories(p.parent_path());
    gzFile gz = gzopen(p.c_str(), "wb");
    EXPECT_NE(gz, nullptr);
    EXPECT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
    gzclose(gz);
    return p.string();
  }

 private:
  std::filesystem::path dir_;
};

/// The real samples (../shared next to the repo); tests using them skip when it is absent.
inline std::string sharedSample(const std::string& rel) {
  return std::string(HFT_SHARED_DIR) + "/exchange-samples/market-data/" + rel;
}
#define SKIP_WITHOUT_SHARED_SAMPLES()                                           \
  do {                                                                          \
    if (!std::filesystem::exists(::hft::test::sharedSample("README.md")))       \
      GTEST_SKIP() << "no shared samples at " << ::hft::test::sharedSample(""); \
  } while (0)

/// Data rows of a CSV file (lines minus a header line, if it has one).
inline size_t dataRows(const std::string& path, bool header) {
  std::ifstream f(path);
  size_t n = 0;
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) ++n;
  return header ? n - 1 : n;
}

/// Sum of levels over the BookDelta events, and their count.
inline size_t deltaLevels(const Imported& r) {
  size_t n = 0;
  for (const auto& e : r.events)
    if (e.header().type == common::EventType::BookDelta) n += e.as<common::BookDelta>().count;
  return n;
}

inline size_t countOf(const Imported& r, common::EventType t) { return r.stats.by_type[static_cast<uint16_t>(t)]; }

}  // namespace hft::test
