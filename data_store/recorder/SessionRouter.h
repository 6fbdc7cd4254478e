#pragma once
// Writer-thread side of data_recorder: puts each event into the session file of its venue,
// data/<venue>/<YYYY-MM-DD>/<session>.bin.lz4, rotating per period (default one hour) and by
// size. Events without a venue (Gap, Control) go into every open file, so each file on its
// own shows every discontinuity.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "data_store/recording/SessionInfo.h"
#include "data_store/recording/SessionWriter.h"

namespace hft::data_store::recorder {

struct RouterOptions {
  std::string root = "data";              ///< data/<venue>/<date>/...
  std::string session_prefix = "session"; ///< file name prefix; the start time is appended
  int64_t rotate_period_ns = 3'600'000'000'000;  ///< new file at each UTC period boundary (0 = never)
  uint64_t rotate_bytes = 1ull << 30;    ///< new file when this many compressed bytes were written
  recording::WriterOptions writer;
};

class SessionRouter {
 public:
  /// `instrumentsOf(venue)` gives the instrument table written into each new file's header.
  SessionRouter(RouterOptions opts, std::function<std::vector<recording::InstrumentInfo>(common::ExchangeId)> instrumentsOf);
  ~SessionRouter();

  /// wallNs decides the file (date folder, rotation); monoNs drives the flush interval.
  void write(const common::EventHeader& e, common::TimestampNs wallNs);
  /// Ends frames older than the flush interval and rotates files whose period ended.
  void tick(int64_t monoNs, common::TimestampNs wallNs);
  /// Closes every file cleanly (index + trailer + fsync).
  void closeAll();

  uint64_t eventsWritten() const noexcept { return events_; }
  uint64_t filesOpened() const noexcept { return files_; }
  /// Paths of every file this router created, in creation order.
  const std::vector<std::string>& paths() const noexcept { return paths_; }

 private:
  struct Open {
    std::unique_ptr<recording::SessionWriter> writer;
    common::TimestampNs period_start = 0;
  };
  Open& fileFor(common::ExchangeId venue, common::TimestampNs wallNs);
  void open(common::ExchangeId venue, Open& slot, common::TimestampNs wallNs);

  RouterOptions opts_;
  std::function<std::vector<recording::InstrumentInfo>(common::ExchangeId)> instrumentsOf_;
  std::map<common::ExchangeId, Open> open_;
  std::vector<std::string> paths_;
  uint64_t events_ = 0;
  uint64_t files_ = 0;
};

/// "2024-08-08" and "235413" for a wall time (UTC).
std::string utcDate(common::TimestampNs t);
std::string utcTimeOfDay(common::TimestampNs t);

}  // namespace hft::data_store::recorder
