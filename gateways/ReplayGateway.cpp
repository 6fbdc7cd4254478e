#include "gateways/ReplayGateway.h"

#include <algorithm>
#include <cstring>

namespace hft::gateways {

using data_store::recording::ReadResult;
using data_store::recording::SessionReader;

bool ReplayGateway::replayed(common::EventType t) noexcept {
  switch (t) {
    case common::EventType::Trade:
    case common::EventType::BestBidOffer:
    case common::EventType::BookDelta:
    case common::EventType::BookSnapshot:
    case common::EventType::Bar:
    case common::EventType::Gap:  // a backtest must see the same discontinuities as live
      return true;
    default:
      return false;
  }
}

ReplayGateway::ReplayGateway(ReplayOptions opts) : opts_(std::move(opts)) {
  if (opts_.files.empty()) throw std::invalid_argument("replay: no files given");
  if (opts_.max_events_per_poll < 1) throw std::invalid_argument("replay: max_events_per_poll must be >= 1");
  for (const auto& f : opts_.files) {
    Source s;
    s.reader = std::make_unique<SessionReader>(f);  // throws naming the file
    if (opts_.from_ns > 0) s.reader->seekTime(opts_.from_ns);
    sources_.push_back(std::move(s));
  }
  live_ = sources_.size();
  for (auto& s : sources_) advance(s);
}

ReplayGateway::~ReplayGateway() = default;

bool ReplayGateway::wanted(const common::EventHeader& e) const noexcept {
  if (!replayed(e.type)) return false;
  if (e.type != common::EventType::Gap && key(e) < opts_.from_ns) return false;
  if (!opts_.instruments.empty() && e.instrument_id != 0 &&
      std::find(opts_.instruments.begin(), opts_.instruments.end(), e.instrument_id) == opts_.instruments.end())
    return false;
  return true;
}

void ReplayGateway::advance(Source& s) noexcept {
  for (;;) {
    const common::EventHeader* e = nullptr;
    const ReadResult r = s.reader->peek(e);
    if (r == ReadResult::Event) {
      if (key(*e) > opts_.to_ns && e->type != common::EventType::Gap) {
        s.head = nullptr;
        s.done = true;
        --live_;
        return;
      }
      if (wanted(*e)) {
        s.head = e;
        return;
      }
      s.reader->next(e);  // skip it
      continue;
    }
    if (r == ReadResult::Error) errors_.push_back(s.reader->error());
    s.head = nullptr;
    s.done = true;
    --live_;
    return;
  }
}

int ReplayGateway::poll() noexcept {
  if (!sink_) return 0;
  int n = 0;
  while (n < opts_.max_events_per_poll && live_ > 0) {
    Source* best = nullptr;
    for (auto& s : sources_)
      if (!s.done && (!best || key(*s.head) < key(*best->head))) best = &s;
    const common::EventHeader* e = nullptr;
    best->reader->next(e);
    std::memcpy(buf_.bytes, e, e->size);
    advance(*best);
    sink_->onEvent(buf_.header());
    ++delivered_;
    ++n;
  }
  return n;
}

}  // namespace hft::gateways
