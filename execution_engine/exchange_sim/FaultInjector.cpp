#include "execution_engine/exchange_sim/FaultInjector.h"

namespace hft::execution_engine::exchange_sim {

namespace {
constexpr std::string_view kNames[kFaultKinds] = {"disconnect", "gap",           "http429",          "http5xx",
                                                  "slow",       "timestamp1021", "drop_user_stream", "expire_listen_key"};
}

const char* toString(FaultKind k) noexcept {
  const auto i = static_cast<size_t>(k);
  return i < kFaultKinds ? kNames[i].data() : "unknown";
}

bool parseFaultKind(std::string_view text, FaultKind& out) noexcept {
  for (size_t i = 0; i < kFaultKinds; ++i)
    if (kNames[i] == text) {
      out = static_cast<FaultKind>(i);
      return true;
    }
  return false;
}

void FaultInjector::arm(FaultKind k, uint32_t count, uint32_t ms) noexcept {
  armed_[static_cast<size_t>(k)] += count;
  if (k == FaultKind::Slow) slowMs_ = ms;
}

bool FaultInjector::take(FaultKind k) noexcept {
  uint32_t& a = armed_[static_cast<size_t>(k)];
  if (a == 0) return false;
  --a;
  ++injected_[static_cast<size_t>(k)];
  return true;
}

uint32_t FaultInjector::takeSlowMs() noexcept { return take(FaultKind::Slow) ? slowMs_ : 0; }

}  // namespace hft::execution_engine::exchange_sim
