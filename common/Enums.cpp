#include "common/events/Control.h"
#include "common/events/Gap.h"

namespace hft::common {

const char* toString(ControlCommand c) noexcept {
  switch (c) {
    case ControlCommand::StartOfData: return "start_of_data";
    case ControlCommand::EndOfData: return "end_of_data";
    case ControlCommand::KillSwitchOn: return "kill_switch_on";
    case ControlCommand::KillSwitchOff: return "kill_switch_off";
    case ControlCommand::SnapshotMarker: return "snapshot_marker";
    case ControlCommand::Pause: return "pause";
    case ControlCommand::Resume: return "resume";
  }
  return "?";
}

const char* toString(GapReason r) noexcept {
  switch (r) {
    case GapReason::ConsumerLapped: return "consumer_lapped";
    case GapReason::FeedReconnect: return "feed_reconnect";
    case GapReason::FeedSequenceGap: return "feed_sequence_gap";
    case GapReason::RecorderLapped: return "recorder_lapped";
    case GapReason::ProducerRestarted: return "producer_restarted";
  }
  return "?";
}

}  // namespace hft::common
