#include "api/import/CsvRow.h"

#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>

#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"  // kAmountScale
#include "config/InstrumentRegistry.h"

namespace hft::api {

namespace {

bool isNumber(std::string_view s) noexcept {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  bool digit = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9')
      digit = true;
    else if (s[i] != '.' && s[i] != 'e' && s[i] != 'E' && s[i] != '-' && s[i] != '+')
      return false;
  }
  return digit;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// Rewrites "1.5e-7" as "0.00000015" so that parseDecimal reads it exactly (Tardis writes some
// small values in exponent notation). False when the text is not mantissa[e|E]exponent.
bool expandExponent(std::string_view text, std::string& out) {
  const size_t e = text.find_first_of("eE");
  std::string_view mant = text.substr(0, e);
  std::string_view expText = text.substr(e + 1);
  if (!expText.empty() && expText[0] == '+') expText.remove_prefix(1);
  int exp = 0;
  const auto [p, ec] = std::from_chars(expText.data(), expText.data() + expText.size(), exp);
  if (ec != std::errc() || p != expText.data() + expText.size() || exp < -40 || exp > 40) return false;
  out.clear();
  if (!mant.empty() && (mant[0] == '-' || mant[0] == '+')) {
    if (mant[0] == '-') out.push_back('-');
    mant.remove_prefix(1);
  }
  const size_t dot = mant.find('.');
  std::string digits(mant.substr(0, dot));
  const auto intLen = static_cast<int>(digits.size());
  if (dot != std::string_view::npos) digits.append(mant.substr(dot + 1));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const int point = intLen + exp;  // digits before the decimal point after shifting
  if (point <= 0) {
    out.append("0.").append(static_cast<size_t>(-point), '0').append(digits);
  } else if (point >= static_cast<int>(digits.size())) {
    out.append(digits).append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(point)).append(".").append(digits, static_cast<size_t>(point));
  }
  return true;
}

}  // namespace

// ---- CsvRow -------------------------------------------------------------------------------

void CsvRow::setColumns(std::vector<std::string> names) {
  names_ = std::move(names);
  position_.resize(names_.size());
  for (size_t i = 0; i < position_.size(); ++i) position_[i] = i;
}

void CsvRow::split(std::string_view line, uint64_t lineNumber) {
  line_ = lineNumber;
  fields_.clear();
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields_.push_back(line.substr(start));
      return;
    }
    fields_.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

bool CsvRow::looksLikeHeader() const noexcept {
  for (std::string_view f : fields_)
    if (isNumber(f)) return false;
  return true;
}

void CsvRow::bindHeader() {
  for (size_t col = 0; col < names_.size(); ++col) {
    const size_t at = find(names_[col]);
    if (at == std::string_view::npos) {
      std::string why = "missing column '";
      why.append(names_[col]).append("' in the header");
      failRow(why);
    }
    position_[col] = at;
  }
}

size_t CsvRow::find(std::string_view name) const noexcept {
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i] == name) return i;
  return std::string_view::npos;
}

std::string_view CsvRow::text(size_t col) const {
  const size_t at = position_[col];
  if (at >= fields_.size()) {
    std::string why = "missing column '";
    why.append(names_[col]).append("' (the row has ").append(std::to_string(fields_.size())).append(" fields)");
    failRow(why);
  }
  return fields_[at];
}

bool CsvRow::present(size_t col) const noexcept {
  const size_t at = position_[col];
  return at < fields_.size() && !fields_[at].empty();
}

int64_t CsvRow::price(size_t col, const config::Instrument& in) const {
  return decimal(col, in.price_scale, "price scale", &in);
}

int64_t CsvRow::qty(size_t col, const config::Instrument& in) const {
  return decimal(col, in.qty_scale, "qty scale", &in);
}

int64_t CsvRow::amount(size_t col) const { return decimal(col, common::kAmountScale, "amount scale", nullptr); }

int64_t CsvRow::decimal(size_t col, int scale, const char* scaleName, const config::Instrument* in) const {
  std::string_view t = text(col);
  if (t.empty()) fail(col, "is empty, expected a decimal number");
  std::string expanded;
  if (t.find_first_of("eE") != std::string_view::npos) {
    if (!expandExponent(t, expanded)) fail(col, std::string("value '").append(t).append("' is not a decimal number"));
    t = expanded;
  }
  int64_t v = 0;
  const common::ParseStatus st = common::parseDecimal(t, scale, v);
  if (st == common::ParseStatus::Ok && v >= 0) return v;
  std::string why = "value '";
  why.append(text(col)).append("' ");
  switch (st) {
    case common::ParseStatus::Ok:
      why.append("is negative");
      break;
    case common::ParseStatus::TooManyDecimals:
      why.append("has more decimals than");
      break;
    case common::ParseStatus::Overflow:
      why.append("is out of range at");
      break;
    default:
      why.append("is not a decimal number");
      fail(col, why);
  }
  if (st != common::ParseStatus::Ok) {
    why.append(" the ").append(scaleName).append(" ").append(std::to_string(scale));
    if (in) why.append(" of ").append(in->venue_symbol).append(" on ").append(common::toString(in->exchange));
  }
  fail(col, why);
}

int64_t CsvRow::integer(size_t col) const {
  const std::string_view t = text(col);
  int64_t v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || t.empty())
    fail(col, std::string("value '").append(t).append("' is not an integer"));
  return v;
}

uint64_t CsvRow::unsignedInteger(size_t col) const {
  const std::string_view t = text(col);
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || t.empty())
    fail(col, std::string("value '").append(t).append("' is not an unsigned integer"));
  return v;
}

bool CsvRow::boolean(size_t col) const {
  const std::string_view t = text(col);
  if (equalsIgnoreCase(t, "true")) return true;
  if (equalsIgnoreCase(t, "false")) return false;
  fail(col, std::string("value '").append(t).append("' is not true or false"));
}

common::TimestampNs CsvRow::timestampNs(size_t col, int64_t unitNs) const {
  const int64_t v = integer(col);
  if (v < 0) fail(col, std::string("timestamp '").append(text(col)).append("' is negative"));
  const int64_t unit = unitNs == kDetectUnit ? epochUnitNs(v) : unitNs;
  if (v > std::numeric_limits<int64_t>::max() / unit)
    fail(col, std::string("timestamp '").append(text(col)).append("' is out of range"));
  return v * unit;
}

void CsvRow::fail(size_t col, std::string_view why) const {
  std::string m = "column '";
  m.append(names_[col]).append("': ").append(why);
  throw ImportError(file_, line_, m);
}

void CsvRow::failRow(std::string_view why) const { throw ImportError(file_, line_, std::string(why)); }

// ---- CsvReader ----------------------------------------------------------------------------

namespace {
// Before LineReader opens it: a zip would otherwise surface as a baffling "bad number".
const std::string& refuseZip(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char magic[4] = {};
  if (f.read(magic, sizeof magic) && std::memcmp(magic, "PK\x03\x04", 4) == 0)
    throw ImportError(path, 0,
                      "is a zip archive: unzip it first (the .csv inside imports as is; gzip is read directly)");
  return path;
}
}  // namespace

CsvReader::CsvReader(const std::string& path, ImportStats& stats)
    : lines_(refuseZip(path)), stats_(stats), row_(path) {}

bool CsvReader::next() {
  if (replay_) {
    replay_ = false;
    return true;
  }
  std::string_view line;
  while (lines_.next(line)) {
    ++stats_.lines;
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      ++stats_.skipped;
      continue;
    }
    row_.split(line, lines_.lineNumber());
    return true;
  }
  return false;
}

bool CsvReader::readHeader() {
  if (!next()) return false;
  if (row_.looksLikeHeader()) return true;
  replay_ = true;
  return false;
}

// ---- events -------------------------------------------------------------------------------

void emitEvent(ImportContext& ctx, common::EventHeader& event) {
  ctx.sink.emit(event);
  ++ctx.stats.events;
  ++ctx.stats.by_type[static_cast<uint16_t>(event.type)];
}

void BookDeltaChain::begin(const config::Instrument& in, common::TimestampNs exchangeTs, common::TimestampNs receiveTs,
                           uint64_t firstId, uint64_t lastId, uint64_t prevId, uint16_t flags) {
  finish();
  std::memset(&piece_, 0, sizeof piece_);  // padding too: imported sessions are byte-reproducible
  piece_.header = common::makeHeader<common::BookDelta>(in.exchange, in.id, exchangeTs, receiveTs);
  piece_.first_update_id = firstId;
  piece_.last_update_id = lastId;
  piece_.prev_update_id = prevId;
  piece_.flags = flags;
  open_ = true;
}

void BookDeltaChain::add(common::Side side, int64_t price, int64_t qty) {
  if (piece_.count == common::BookDelta::kMaxLevels) {
    emitPiece(true);
    // The next piece continues the same update: same header and ids, the book is not cleared again.
    piece_.flags = static_cast<uint16_t>(piece_.flags & ~common::BookDelta::kClearBook);
    piece_.count = 0;
    std::memset(piece_.levels, 0, sizeof piece_.levels);
  }
  common::PriceLevelUpdate& l = piece_.levels[piece_.count++];
  l.price = price;
  l.qty = qty;
  l.side = side;
}

void BookDeltaChain::finish() {
  if (!open_) return;
  emitPiece(false);
  open_ = false;
}

void BookDeltaChain::emitPiece(bool more) {
  common::BookDelta e = piece_;
  if (more) e.flags = static_cast<uint16_t>(e.flags | common::BookDelta::kContinuation);
  e.header.flags = e.flags;  // mirrored in the header, as the live gateways do
  e.header.size = common::BookDelta::sizeFor(e.count);
  emitEvent(ctx_, e.header);
}

}  // namespace hft::api
