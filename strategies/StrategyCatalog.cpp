#include "strategies/StrategyCatalog.h"

#include "strategies/CrossExchangeArbitrage.h"
#include "strategies/Iceberg.h"
#include "strategies/MarketMaker.h"
#include "strategies/Technical.h"
#include "strategies/TrailingStop.h"
#include "strategies/Twap.h"
#include "strategies/Vwap.h"

namespace hft::strategies {

void registerBuiltinStrategies(strategy_engine::StrategyRegistry& r) {
  r.add("market_maker", "two-sided quotes around mid/microprice with inventory skew and adverse-move pulls", makeMarketMaker);
  r.add("technical", "SMA cross, RSI, MACD or Bollinger signals on bars, with stop-loss/take-profit", makeTechnical);
  r.add("twap", "parent order sliced evenly over time", makeTwap);
  r.add("vwap", "parent order sliced along the recent volume profile", makeVwapExecution);
  r.add("iceberg", "shows a small display quantity, refreshed on fill", makeIceberg);
  r.add("trailing_stop", "exit when price retraces by a trail from its best since activation", makeTrailingStop);
  r.add("cross_exchange_arbitrage", "paired IOC orders when one venue's bid exceeds another's ask net of fees",
        makeCrossExchangeArbitrage);
}

}  // namespace hft::strategies
