#include "execution_engine/journal/PnlReport.h"

#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"
#include "execution_engine/journal/FileIo.h"
#include "execution_engine/journal/UtcTime.h"

namespace hft::execution_engine::journal {
namespace {

void appendField(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');  // RFC 4180: a quote inside quotes is doubled
    out.push_back(c);
  }
  out.push_back('"');
}

void appendAmount(std::string& out, int64_t raw) { out.append(common::formatDecimal(raw, common::kAmountScale)); }

}  // namespace

std::string PnlReport::format(common::TimestampNs day, const std::vector<PnlRow>& rows) {
  const std::string date = isoDate(day);
  std::string out = kHeader;
  out.push_back('\n');
  for (const PnlRow& r : rows) {
    out.append(date).push_back(',');
    appendField(out, r.strategy);
    out.push_back(',');
    appendField(out, r.venue);
    out.push_back(',');
    appendField(out, r.instrument);
    out.push_back(',');
    appendAmount(out, r.realized_pnl);
    out.push_back(',');
    appendAmount(out, r.unrealized_pnl);
    out.push_back(',');
    appendAmount(out, r.fees);
    out.push_back(',');
    appendAmount(out, r.volume);
    out.push_back(',');
    out.append(std::to_string(r.fills)).push_back('\n');
  }
  return out;
}

std::string PnlReport::pathFor(const std::string& root, common::TimestampNs day) {
  std::string path = dayLogDirectory(root, day);
  path.append("/pnl.csv");
  return path;
}

bool PnlReport::write(const std::string& root, common::TimestampNs day, const std::vector<PnlRow>& rows,
                      std::string& error) {
  if (!makeDirectories(dayLogDirectory(root, day), error)) return false;
  return writeFileAtomically(pathFor(root, day), format(day, rows), error);
}

}  // namespace hft::execution_engine::journal
