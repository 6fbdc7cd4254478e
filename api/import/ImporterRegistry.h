#pragma once
// Every importer `recording import` knows, and the sink that writes what they emit into a
// session file.
#include <memory>
#include <string>
#include <vector>

#include "api/import/IImporter.h"
#include "data_store/recording/SessionWriter.h"

namespace hft::api {

/// All formats, in the order --list-formats prints them.
std::vector<std::unique_ptr<IImporter>> allImporters();

/// Writes imported events into a session file, numbering sequences 1..N. The file is created
/// at the first event, so its start time is the data's own.
class SessionImportSink final : public IImportSink {
 public:
  SessionImportSink(std::string path, std::string session, std::string venue,
                    std::vector<data_store::recording::InstrumentInfo> instruments,
                    data_store::recording::WriterOptions opts);
  void emit(common::EventHeader& event) override;
  /// Closes the file (index, trailer, fsync). Creates an empty session if nothing came.
  void close();
  uint64_t events() const noexcept { return seq_; }

 private:
  void open(common::TimestampNs start);
  std::string path_, session_, venue_;
  std::vector<data_store::recording::InstrumentInfo> instruments_;
  data_store::recording::WriterOptions opts_;
  std::unique_ptr<data_store::recording::SessionWriter> writer_;
  uint64_t seq_ = 0;
};

}  // namespace hft::api
