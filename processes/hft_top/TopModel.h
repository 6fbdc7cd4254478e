#pragma once
// What hft-top shows, gathered without a terminal: the process registry (alive, pid, core,
// lag, lost, rates), the market-data ring's event rate and feed latency, and everything the
// execution-report ring says (orders, fills, rejects, open orders, positions and PnL per
// strategy). Read-only on the bus: hft-top attaches as a Monitor and never holds anything back.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/LatencyHistogram.h"
#include "config/InstrumentRegistry.h"
#include "data_store/DataStore.h"
#include "managers/TradeManager.h"

namespace hft::tools {

struct ProcessRow {
  uint32_t slot = 0;
  uint32_t pid = 0;
  bool alive = false;
  std::string role;
  std::string name;
  int32_t core = -1;
  uint64_t lag = 0;
  uint64_t lost = 0;
  uint64_t processed = 0;
  double rate = 0;       ///< messages handled per second since the last refresh
  double heartbeatAge = 0;
};

struct StrategyRow {
  common::StrategyId id = 0;
  uint64_t orders = 0, fills = 0, cancels = 0, rejects = 0;
  int64_t openOrders = 0;
};

struct PositionRow {
  common::StrategyId strategy = 0;
  std::string instrument;
  std::string qty;          ///< decimal
  std::string realized;     ///< decimal, quote currency
  std::string unrealized;   ///< decimal
  std::string fees;
};

struct RejectRow {
  common::TimestampNs ts = 0;
  common::StrategyId strategy = 0;
  common::ClientOrderId id = 0;
  std::string reason;
};

class TopModel {
 public:
  TopModel(const data_store::BusNames& names, const config::InstrumentRegistry& instruments);

  /// Reads what the rings published since the last call and the registry (cold; a few ms).
  void refresh(int64_t monoNs, int64_t wallNs);

  const std::vector<ProcessRow>& processes() const noexcept { return processes_; }
  std::vector<StrategyRow> strategies() const;
  std::vector<PositionRow> positions() const;
  const std::deque<RejectRow>& recentRejects() const noexcept { return rejects_; }
  double marketEventsPerSecond() const noexcept { return mdRate_; }
  double reportsPerSecond() const noexcept { return execRate_; }
  /// Feed latency: venue/receive time -> publish on the bus, of the market data read.
  const common::LatencyHistogram& feedLatency() const noexcept { return feedLatency_; }
  /// Order round trips of the reports read: venue time - local send time of New acks.
  const common::LatencyHistogram& orderLatency() const noexcept { return orderLatency_; }
  bool busFound() const noexcept { return registry_ != nullptr; }

 private:
  void readProcesses(int64_t wallNs, double dt);
  void readMarketData();
  void readReports();
  void onReport(const common::ExecutionReport& r);

  data_store::BusNames names_;
  const config::InstrumentRegistry& instruments_;
  std::unique_ptr<data_store::ProcessRegistry> registry_;
  std::unique_ptr<data_store::MarketDataSubscriber> md_;
  std::unique_ptr<data_store::ExecSubscriber> exec_;
  managers::TradeManager trades_;
  std::vector<ProcessRow> processes_;
  std::map<uint32_t, uint64_t> lastProcessed_;  // by pid
  std::map<common::StrategyId, StrategyRow> strategies_;
  std::map<common::ClientOrderId, common::StrategyId> openOwner_;  // open orders and whose they are
  std::deque<RejectRow> rejects_;
  common::LatencyHistogram feedLatency_, orderLatency_;
  int64_t lastMono_ = 0;
  uint64_t lastMdSeq_ = 0, lastExecSeq_ = 0;
  double mdRate_ = 0, execRate_ = 0;
};

}  // namespace hft::tools
