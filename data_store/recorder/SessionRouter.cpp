#include "data_store/recorder/SessionRouter.h"

#include <ctime>
#include <filesystem>

namespace hft::data_store::recorder {

namespace {
std::tm utc(common::TimestampNs t) {
  const time_t secs = static_cast<time_t>(t / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string utcDate(common::TimestampNs t) {
  const std::tm tm = utc(t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string utcTimeOfDay(common::TimestampNs t) {
  const std::tm tm = utc(t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H%M%S", &tm);
  return buf;
}

SessionRouter::SessionRouter(RouterOptions opts,
                             std::function<std::vector<recording::InstrumentInfo>(common::ExchangeId)> instrumentsOf)
    : opts_(std::move(opts)), instrumentsOf_(std::move(instrumentsOf)) {}

SessionRouter::~SessionRouter() {
  try {
    closeAll();
  } catch (...) {
  }
}

void SessionRouter::open(common::ExchangeId venue, Open& slot, common::TimestampNs wallNs) {
  if (slot.writer) slot.writer->close();
  const std::string venueName = common::toString(venue);
  const auto dir = std::filesystem::path(opts_.root) / venueName / utcDate(wallNs);
  std::filesystem::create_directories(dir);
  std::string base = opts_.session_prefix + "-" + utcTimeOfDay(wallNs);
  std::string path = (dir / (base + ".bin.lz4")).string();
  for (int n = 2; std::filesystem::exists(path); ++n) path = (dir / (base + "-" + std::to_string(n) + ".bin.lz4")).string();
  recording::SessionInfo info;
  info.session = base;
  info.venue = venueName;
  info.start_ns = wallNs;
  info.instruments = instrumentsOf_(venue);
  slot.writer = std::make_unique<recording::SessionWriter>(path, info, opts_.writer);
  slot.period_start = opts_.rotate_period_ns ? wallNs - wallNs % opts_.rotate_period_ns : 0;
  paths_.push_back(path);
  ++files_;
}

SessionRouter::Open& SessionRouter::fileFor(common::ExchangeId venue, common::TimestampNs wallNs) {
  Open& slot = open_[venue];
  const bool periodOver = opts_.rotate_period_ns && wallNs - slot.period_start >= opts_.rotate_period_ns;
  const bool tooBig = slot.writer && slot.writer->bytesOut() >= opts_.rotate_bytes;
  if (!slot.writer || periodOver || tooBig) open(venue, slot, wallNs);
  return slot;
}

void SessionRouter::write(const common::EventHeader& e, common::TimestampNs wallNs) {
  if (e.exchange_id == common::ExchangeId::None) {
    // Gaps and control markers belong to every venue's file.
    if (open_.empty()) return;  // nothing recorded yet: a gap before the first event loses nothing
    for (auto& [venue, slot] : open_) fileFor(venue, wallNs).writer->append(e);
  } else {
    fileFor(e.exchange_id, wallNs).writer->append(e);
  }
  ++events_;
}

void SessionRouter::tick(int64_t monoNs, common::TimestampNs wallNs) {
  for (auto& [venue, slot] : open_) {
    if (!slot.writer) continue;
    if (opts_.rotate_period_ns && wallNs - slot.period_start >= opts_.rotate_period_ns) open(venue, slot, wallNs);
    slot.writer->tick(monoNs);
  }
}

void SessionRouter::closeAll() {
  for (auto& [venue, slot] : open_)
    if (slot.writer) slot.writer->close();
  open_.clear();
}

}  // namespace hft::data_store::recorder
