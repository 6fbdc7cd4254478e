#pragma once
#include "common/Ids.h"
#include "common/OrderEnums.h"

namespace hft::strategy_engine {

/// A strategy's view of one of its working orders, kept by the host from what it sent and
/// the execution reports it got back.
struct OpenOrder {
  common::ClientOrderId id = 0;
  common::InstrumentId instrument = 0;
  common::Side side = common::Side::Buy;
  common::OrderType type = common::OrderType::Limit;
  common::TimeInForce tif = common::TimeInForce::GTC;
  int64_t price = 0;
  int64_t qty = 0;
  int64_t filled = 0;
  bool acked = false;           ///< the venue (or backtester) confirmed it
  bool cancel_pending = false;  ///< a cancel was sent, not yet confirmed
  common::TimestampNs sent_ts = 0;  ///< event time it was sent

  int64_t remaining() const noexcept { return qty - filled; }
};

}  // namespace hft::strategy_engine
