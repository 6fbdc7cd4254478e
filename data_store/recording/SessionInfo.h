#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/Ids.h"

namespace hft::data_store::recording {

/// One row of a recording's instrument table: how to read the raw prices and quantities of
/// the events that carry `id`. Stored as a fixed-size InstrumentEntry (SessionFormat.h), so
/// the strings have length limits (checked by SessionWriter).
struct InstrumentInfo {
  common::InstrumentId id = 0;
  common::ExchangeId exchange = common::ExchangeId::None;
  int8_t price_scale = 0;    ///< decimals of raw prices
  int8_t qty_scale = 0;      ///< decimals of raw quantities
  std::string venue_symbol;  ///< as the venue spells it ("BTCUSDT", "KRW-BTC"); <= 31 bytes
  std::string name;          ///< normalized name; <= 55 bytes

  bool operator==(const InstrumentInfo&) const = default;
};

/// What a recording says about itself in its file header.
struct SessionInfo {
  std::string session;             ///< e.g. "binance-md-2024-05-01"; <= 63 bytes
  std::string venue;               ///< e.g. "binance"; <= 31 bytes
  common::TimestampNs start_ns = 0;  ///< wall-clock start of the recording
  std::vector<InstrumentInfo> instruments;

  bool operator==(const SessionInfo&) const = default;
};

}  // namespace hft::data_store::recording
