#pragma once
// What the CSV importers (BinanceCsvImporters, TardisCsvImporters) share: a row splitter with
// typed field reads whose every failure is an ImportError naming file:line and the column, a
// reader that tells a header line from data, the epoch-timestamp unit rule, and the splitting
// of one venue update into a chain of BookDelta events.
//
// Cold path (offline import): errors throw; reads do not allocate per field.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/import/IImporter.h"
#include "api/import/LineReader.h"
#include "common/events/BookDelta.h"

namespace hft::config {
struct Instrument;
}

namespace hft::api {

/// One CSV line split at ',' into fields (views into the line: valid until the line's reader
/// moves on). No quoting or escaping: none of the supported formats quotes a field.
///
/// Columns are addressed by the format's own index (an enum in each importer) and named by the
/// format's column list; errors use those names. By default column i is field i (positional
/// layouts, e.g. Binance's headerless files); bindHeader() instead finds each column by name in
/// a header row (Tardis, whose files always have one and may order columns freely).
class CsvRow {
 public:
  explicit CsvRow(std::string file) : file_(std::move(file)) {}

  /// The format's columns in their documented order; resets to positional binding.
  void setColumns(std::vector<std::string> names);
  const std::string& columnName(size_t col) const noexcept { return names_[col]; }

  /// Splits a line (1-based line number for errors).
  void split(std::string_view line, uint64_t lineNumber);

  /// Header detection, one rule for every format: a line none of whose fields is a number is a
  /// header; any data row of these formats has at least one numeric field.
  bool looksLikeHeader() const noexcept;
  /// This row is a header: binds every column to the field of the same name (exact match).
  /// Throws ImportError naming the first column the header lacks.
  void bindHeader();
  /// Position of a field equal to `name` in this row, or npos (to inspect a header).
  size_t find(std::string_view name) const noexcept;

  size_t fieldCount() const noexcept { return fields_.size(); }
  uint64_t line() const noexcept { return line_; }
  const std::string& file() const noexcept { return file_; }

  /// The column's text (may be empty); ImportError "missing column" when the row is too short.
  std::string_view text(size_t col) const;
  /// True when the column exists and is not empty (optional values, e.g. absent book levels).
  bool present(size_t col) const noexcept;

  /// Price at the instrument's price scale, >= 0. More decimals than the scale -> ImportError
  /// naming column, value and scale (never rounded).
  int64_t price(size_t col, const config::Instrument& in) const;
  /// Quantity at the instrument's qty scale, >= 0.
  int64_t qty(size_t col, const config::Instrument& in) const;
  /// Quote-currency amount at common::kAmountScale, >= 0.
  int64_t amount(size_t col) const;
  /// Signed / unsigned decimal integers.
  int64_t integer(size_t col) const;
  uint64_t unsignedInteger(size_t col) const;
  /// "true"/"false" in any letter case (Binance spot files write True/False).
  bool boolean(size_t col) const;
  /// Epoch timestamp in nanoseconds. unitNs: the unit's length in ns (1'000 for µs), or
  /// kDetectUnit to apply epochUnitNs() to the value.
  static constexpr int64_t kDetectUnit = 0;
  common::TimestampNs timestampNs(size_t col, int64_t unitNs) const;

  /// Throws ImportError "<file>:<line>: column '<name>': <why>".
  [[noreturn]] void fail(size_t col, std::string_view why) const;
  /// Throws ImportError "<file>:<line>: <why>".
  [[noreturn]] void failRow(std::string_view why) const;

 private:
  int64_t decimal(size_t col, int scale, const char* scaleName, const config::Instrument* in) const;

  std::string file_;
  std::vector<std::string> names_;
  std::vector<size_t> position_;  ///< column -> field index in the row
  std::vector<std::string_view> fields_;
  uint64_t line_ = 0;
};

/// Binance epoch timestamps are milliseconds, except spot files from 2025-01-01 on, which are
/// microseconds; a file does not say which, so the magnitude does. Any date from 1973 to 5138
/// is unambiguous: < 10^14 is ms, < 10^17 is µs, larger is ns. Returns the unit in ns.
constexpr int64_t epochUnitNs(int64_t value) noexcept {
  return value < 100'000'000'000'000 ? 1'000'000 : value < 100'000'000'000'000'000 ? 1'000 : 1;
}

/// Lines of a CSV file as CsvRows: counts every line in stats.lines, skips blank lines
/// (stats.skipped), and refuses zip archives with a clear message (data.binance.vision serves
/// .zip; zlib reads gzip only).
class CsvReader {
 public:
  /// Throws ImportError naming the path when it cannot be opened or is a zip archive.
  CsvReader(const std::string& path, ImportStats& stats);

  /// Reads the first non-blank line and says whether it is a header (CsvRow::looksLikeHeader).
  /// A header stays in row() (for bindHeader / find); a data line is handed out again by the
  /// next next(). False as well for an empty file.
  bool readHeader();
  /// The next data row into row(); false at end of file.
  bool next();
  CsvRow& row() noexcept { return row_; }

 private:
  LineReader lines_;
  ImportStats& stats_;
  CsvRow row_;
  bool replay_ = false;  ///< row_ holds a data line readHeader() looked at
};

/// Sends one event to the sink and counts it in stats (events, by_type).
void emitEvent(ImportContext& ctx, common::EventHeader& event);

/// Streams the level changes of one venue update (a diff or a whole snapshot) into BookDelta
/// events of at most kMaxLevels levels, emitted as they fill. Every piece carries the update's
/// ids and times; all but the last carry kContinuation; kClearBook appears on the first piece
/// only; other flags (kFromSnapshot) on every piece. An update with no levels still emits one
/// empty piece (an empty snapshot clears the book).
class BookDeltaChain {
 public:
  explicit BookDeltaChain(ImportContext& ctx) noexcept : ctx_(ctx) {}

  /// Starts an update, finishing any open one. flags: 0 for a diff, kClearBook|kFromSnapshot
  /// (or kClearBook alone) for a full book.
  void begin(const config::Instrument& in, common::TimestampNs exchangeTs, common::TimestampNs receiveTs,
             uint64_t firstId, uint64_t lastId, uint64_t prevId, uint16_t flags);
  void add(common::Side side, int64_t price, int64_t qty);
  /// Emits the last piece of the open update; no-op when none is open.
  void finish();
  bool open() const noexcept { return open_; }

 private:
  void emitPiece(bool more);

  ImportContext& ctx_;
  common::BookDelta piece_{};
  bool open_ = false;
};

}  // namespace hft::api
