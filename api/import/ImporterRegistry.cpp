#include "api/import/ImporterRegistry.h"

#include "api/import/BinanceCsvImporters.h"
#include "api/import/BinanceWsCaptureImporter.h"
#include "api/import/TardisCsvImporters.h"

namespace hft::api {

std::vector<std::unique_ptr<IImporter>> allImporters() {
  std::vector<std::unique_ptr<IImporter>> all;
  all.push_back(makeBinanceWsCaptureImporter());
  for (auto& i : makeBinanceCsvImporters()) all.push_back(std::move(i));
  for (auto& i : makeTardisCsvImporters()) all.push_back(std::move(i));
  return all;
}

SessionImportSink::SessionImportSink(std::string path, std::string session, std::string venue,
                                     std::vector<data_store::recording::InstrumentInfo> instruments,
                                     data_store::recording::WriterOptions opts)
    : path_(std::move(path)), session_(std::move(session)), venue_(std::move(venue)),
      instruments_(std::move(instruments)), opts_(opts) {}

void SessionImportSink::open(common::TimestampNs start) {
  data_store::recording::SessionInfo info{session_, venue_.substr(0, 31), start, instruments_};
  writer_ = std::make_unique<data_store::recording::SessionWriter>(path_, info, opts_);
}

void SessionImportSink::emit(common::EventHeader& event) {
  if (!writer_) open(common::eventTime(event));
  event.sequence = ++seq_;
  writer_->append(event);
  // Frames by data time (the writer's flush interval): seekable, deterministic for the same input.
  writer_->tick(common::eventTime(event));
}

void SessionImportSink::close() {
  if (!writer_) open(0);
  writer_->close();
}

}  // namespace hft::api
