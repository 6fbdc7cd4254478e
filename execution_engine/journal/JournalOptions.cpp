#include "execution_engine/journal/JournalOptions.h"

namespace hft::execution_engine::journal {

const char* toString(SyncPolicy p) noexcept {
  switch (p) {
    case SyncPolicy::EveryRecord: return "every_record";
    case SyncPolicy::Interval: return "interval_ms";
    case SyncPolicy::Never: return "never";
  }
  return "?";
}

bool parseSyncPolicy(std::string_view name, SyncPolicy& out) noexcept {
  for (SyncPolicy p : {SyncPolicy::EveryRecord, SyncPolicy::Interval, SyncPolicy::Never}) {
    if (name == toString(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

}  // namespace hft::execution_engine::journal
