#pragma once
// Importers turn files users already have (raw WebSocket captures, venue CSV dumps, vendor
// CSVs) into bus events, written into a recorded session by `recording import`. They use the
// very parsers the live gateways use (api/exchanges/<venue>/): there is never a second parser.
#include <stdexcept>
#include <string>
#include <vector>

#include "common/EventHeader.h"
#include "common/EventType.h"

namespace hft::config {
class InstrumentRegistry;
}

namespace hft::api {

/// Bad input: names the file and the 1-based line (0 when not line-oriented) and why.
class ImportError : public std::runtime_error {
 public:
  ImportError(const std::string& file, uint64_t line, const std::string& why)
      : std::runtime_error(format(file, line, why)), file_(file), line_(line) {}
  const std::string& file() const noexcept { return file_; }
  uint64_t line() const noexcept { return line_; }

 private:
  // append() instead of operator+ chains: GCC 12 -O3 raises a false -Wrestrict on those.
  static std::string format(const std::string& file, uint64_t line, const std::string& why) {
    std::string m = file;
    if (line) m.append(":").append(std::to_string(line));
    m.append(": ").append(why);
    return m;
  }
  std::string file_;
  uint64_t line_;
};

/// Where importers put events, in the order they should be replayed.
class IImportSink {
 public:
  virtual ~IImportSink() = default;
  /// Takes a complete event (header.size bytes). header.sequence is assigned by the sink.
  virtual void emit(common::EventHeader& event) = 0;
};

struct ImportStats {
  uint64_t lines = 0;                             ///< input lines/rows read
  uint64_t events = 0;                            ///< events emitted
  uint64_t skipped = 0;                           ///< lines deliberately ignored (e.g. unknown streams)
  uint64_t by_type[common::kEventTypeCount] = {};
  uint64_t clock_skew_lines = 0;                  ///< receive time earlier than exchange time (kept as is)
  std::vector<std::string> notes;                 ///< human-readable remarks for the summary
};

struct ImportContext {
  const config::InstrumentRegistry& instruments;
  IImportSink& sink;
  ImportStats& stats;
};

class IImporter {
 public:
  virtual ~IImporter() = default;
  /// Format name given to `recording import --format` (e.g. "binance-ws-capture").
  virtual std::string name() const = 0;
  /// One line for `recording import --list-formats`.
  virtual std::string description() const = 0;
  /// Imports one file, plain or gzip-compressed. Throws ImportError on bad input; events
  /// emitted before the error stay emitted (the caller decides whether to keep them).
  virtual void importFile(const std::string& path, ImportContext& ctx) = 0;
};

}  // namespace hft::api
