#pragma once
// Text forms of events for `recording cat`: CSV (one header row, type-specific columns in a
// generic layout) and JSONL (one object per event). Prices and quantities are printed with
// the instrument's decimals from the file's instrument table.
#include <cstdio>
#include <map>
#include <string>

#include "common/Events.h"
#include "data_store/recording/SessionInfo.h"

namespace hft::tools {

struct Scales {
  int price = 0;
  int qty = 0;
};
using ScaleTable = std::map<common::InstrumentId, Scales>;
ScaleTable scalesOf(const data_store::recording::SessionInfo& info);

/// Column names of the CSV form.
const char* csvHeader();
void printCsv(std::FILE* out, const common::EventHeader& e, const ScaleTable& scales);
void printJson(std::FILE* out, const common::EventHeader& e, const ScaleTable& scales);

}  // namespace hft::tools
