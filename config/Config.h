#pragma once
// The config library's public header: start-up configuration of every process.
//   SystemConfig        config/system.json: bus, per-process placement and idling
//   InstrumentRegistry  config/instruments.json: instruments, scales, ticks, lots
//   ExchangeConfig      config/exchanges/<venue>.json: endpoints, order entry, reconnect, rate limits
//   TickRules           config/tick_rules/*.json: price bands -> tick, rounding on raw prices
//   ConfigSet           the whole config directory, every error collected
//   VenueSymbol         venue spellings of a pair <-> "BASE/QUOTE"
//   ConfigError         the one exception: file, key path, expected, found
#include "config/ConfigError.h"
#include "config/ConfigSet.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "config/TickRules.h"
#include "config/VenueSymbol.h"
