#pragma once
// The config library's public header: start-up configuration of every process.
//   SystemConfig        config/system.json: bus, per-process placement and idling
//   InstrumentRegistry  config/instruments.json: instruments, scales, ticks, lots
//   VenueSymbol         venue spellings of a pair <-> "BASE/QUOTE"
//   ConfigError         the one exception: file, key path, expected, found
#include "config/ConfigError.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "config/VenueSymbol.h"
