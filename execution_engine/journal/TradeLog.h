#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::execution_engine::journal {

/// Human- and jq-readable trade log: one JSON object per line for every order event and fill
/// (every ExecutionReport), in `<root>/logs/YYYY/MM/DD/trades.jsonl`, where the day is the UTC
/// day of the event time. Not the system of record (the binary Journal is): a failed write
/// is reported and the caller carries on.
///
/// Line fields (fixed set, in this order; see README.md):
///   ts_ns, ts, exec_type, strategy_id, strategy, venue, instrument_id, instrument, side,
///   order_type, tif, price, qty, last_price, last_qty, cum_qty, leaves_qty, order_price,
///   avg_price, fee, fee_asset, liquidity, client_order_id, orig_client_order_id,
///   venue_order_id, trade_id, reject_reason, local_send_ts_ns, venue_ts_ns
/// Prices and quantities are decimal strings at the instrument's scales, fees at
/// common::kAmountScale; 64-bit values (ns times, ids) are strings so that jq 1.6, which reads
/// numbers as doubles, keeps every digit.
///
/// Cold path: formats with nlohmann::json and allocates. Each line goes to the file with one
/// write(2) on an O_APPEND descriptor, so lines never interleave, also with another writer.
/// Single-threaded.
class TradeLog {
 public:
  /// `registry` must outlive the log. Nothing is created until the first append.
  explicit TradeLog(const config::InstrumentRegistry& registry, std::string root = "data");
  ~TradeLog();
  TradeLog(const TradeLog&) = delete;
  TradeLog& operator=(const TradeLog&) = delete;

  /// The name written in "strategy" for this id (else the id in decimal).
  void setStrategyName(common::StrategyId id, std::string name);

  /// Appends one line. Returns false with `error` naming the file and the failed call.
  [[nodiscard]] bool append(const common::ExecutionReport& report, std::string& error);

  /// The line append() writes, without the newline.
  std::string formatLine(const common::ExecutionReport& report) const;
  /// The file an event at `ts` goes to.
  std::string pathFor(common::TimestampNs ts) const;
  /// The time a report is filed under: the venue's event time, else the venue's transaction
  /// time, else the local receive time.
  static common::TimestampNs eventTime(const common::ExecutionReport& report) noexcept;

  uint64_t linesWritten() const noexcept { return lines_; }

 private:
  const config::InstrumentRegistry& registry_;
  std::string root_;
  std::unordered_map<common::StrategyId, std::string> strategyNames_;
  int fd_ = -1;
  std::string openPath_;  ///< the file fd_ is open on: reports arrive in time order, so one
                          ///< descriptor serves a whole day
  uint64_t lines_ = 0;
};

}  // namespace hft::execution_engine::journal
