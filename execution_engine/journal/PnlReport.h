#pragma once
#include <string>
#include <vector>

#include "common/Ids.h"
#include "execution_engine/journal/PnlRow.h"

namespace hft::execution_engine::journal {

/// The daily PnL CSV: `<root>/logs/YYYY/MM/DD/pnl.csv` (UTC day), header
///   date,strategy,venue,instrument,realized_pnl,unrealized_pnl,fees,volume,fills
/// then one line per row, in the given order. Amounts are decimal text at 8 decimals
/// (common::kAmountScale); names are quoted per RFC 4180 when they hold a comma, quote or
/// line break. The whole file is rewritten atomically on each call (the caller writes the
/// day's rows as often as it likes, e.g. hourly and at the day's end). Cold path.
class PnlReport {
 public:
  static constexpr const char* kHeader =
      "date,strategy,venue,instrument,realized_pnl,unrealized_pnl,fees,volume,fills";

  /// The CSV text for `rows` of the UTC day holding `day`.
  static std::string format(common::TimestampNs day, const std::vector<PnlRow>& rows);
  /// "<root>/logs/YYYY/MM/DD/pnl.csv".
  static std::string pathFor(const std::string& root, common::TimestampNs day);
  /// Writes the file (creating folders). Returns false with `error` naming the file.
  [[nodiscard]] static bool write(const std::string& root, common::TimestampNs day, const std::vector<PnlRow>& rows,
                                  std::string& error);
};

}  // namespace hft::execution_engine::journal
