#pragma once
// Per-venue figures of a backtest: what was traded on each venue, the fees paid there (per
// asset), and each funded asset's balance at the start and at the end. A strategy that trades
// several venues (cross-exchange arbitrage: binance in USDT, upbit in KRW) is judged venue by
// venue and asset by asset: amounts in different currencies are never added together here.
//
// Amounts at common::kAmountScale. Deterministic: std::map everywhere, output in (venue, asset)
// order. Single-threaded; not on a hot path (the backtester's results side).
#include <cstdint>
#include <map>
#include <string>

#include "common/Events.h"

namespace hft::execution_engine::backtest {

class VenueLedger {
 public:
  struct Venue {
    uint64_t orders = 0;   ///< New requests sent to the venue
    uint64_t rejects = 0;
    uint64_t fills = 0;    ///< fill reports (partial and final)
    uint64_t buys = 0;     ///< of which buys
    uint64_t sells = 0;
    std::map<std::string, int64_t> fees;      ///< asset -> fees paid (negative = rebates)
    std::map<std::string, int64_t> traded;    ///< quote asset -> notional traded
    std::map<std::string, int64_t> bought;    ///< base asset -> quantity bought (kAmountScale)
    std::map<std::string, int64_t> sold;      ///< base asset -> quantity sold
  };
  struct Balance {
    int64_t start = 0;
    int64_t end = 0;
  };

  /// The configured balances (simulation.balances): venue -> asset -> amount. A venue funded
  /// here is listed even when it never traded.
  void setStartBalances(const std::map<common::ExchangeId, std::map<std::string, int64_t>>& balances);
  void onOrderRequest(const common::OrderRequest& r);
  void onReject(common::ExchangeId venue);
  /// One fill: notional in `quote`, qty in `base`, both at kAmountScale.
  void onFill(common::ExchangeId venue, common::Side side, const std::string& base, const std::string& quote,
              int64_t qty, int64_t notional, const std::string& feeAsset, int64_t fee);
  /// The venue's balance of an asset after a change (free + locked is what we hold).
  void onBalance(const common::BalanceUpdate& u);

  const std::map<common::ExchangeId, Venue>& venues() const noexcept { return venues_; }
  const std::map<common::ExchangeId, std::map<std::string, Balance>>& balances() const noexcept { return balances_; }

  /// {"binance": {"orders": .., "fills": .., "buys": .., "sells": .., "rejects": ..,
  ///   "fees": {"USDT": ..}, "traded": {"USDT": ..}, "bought": {"BTC": ..}, "sold": {..},
  ///   "balances": {"BTC": {"start": .., "end": .., "change": ..}, ..}}, "upbit": {..}}
  /// as a JSON object (numbers with 8 decimals, exact: formatted from fixed point), each line
  /// prefixed by `indent`. Assets at 0 from start to end (an instrument's asset the account
  /// lists but never held: ETH on a BTC-only run) are left out here and in text().
  std::string json(const std::string& indent) const;
  /// Human-readable lines, one per venue: "binance: 12 fills (6 buys, 6 sells), fees 3.1 USDT;
  /// BTC 1 -> 1.0005 (+0.0005), USDT 100000 -> 99967.5 (-32.5)".
  std::string text() const;

 private:
  Venue& venue(common::ExchangeId v) { return venues_[v]; }
  std::map<common::ExchangeId, Venue> venues_;
  std::map<common::ExchangeId, std::map<std::string, Balance>> balances_;
};

}  // namespace hft::execution_engine::backtest
