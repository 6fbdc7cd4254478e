#pragma once
// Faults injected on command (POST /sim/fault): each kind is armed with a count (and a delay for
// `slow`), consumed by the request or frame it hits, and counted for GET /sim/state.
#include <array>
#include <cstdint>
#include <string_view>

namespace hft::execution_engine::exchange_sim {

enum class FaultKind : uint8_t {
  Disconnect = 0,       ///< close every WebSocket connection now
  Gap = 1,              ///< drop the next N depth diffs (update ids skip)
  Http429 = 2,          ///< next N REST requests: 429 -1003 with Retry-After
  Http5xx = 3,          ///< next N REST requests: 503; an order may still have been placed
  Slow = 4,             ///< next N responses (REST and WS API) delayed by `ms`
  Timestamp1021 = 5,    ///< next N signed requests: -1021 timestamp outside recvWindow
  DropUserStream = 6,   ///< close the user-data connections (WS API sessions, listenKey streams)
  ExpireListenKey = 7,  ///< listenKeyExpired on every listenKey stream, then close it
};
inline constexpr size_t kFaultKinds = 8;

const char* toString(FaultKind k) noexcept;
/// "disconnect", "gap", "http429", "http5xx", "slow", "timestamp1021", "drop_user_stream",
/// "expire_listen_key"; false when unknown.
bool parseFaultKind(std::string_view text, FaultKind& out) noexcept;

class FaultInjector {
 public:
  /// Arms `count` occurrences (added to what is armed). `ms` is the delay of Slow.
  void arm(FaultKind k, uint32_t count, uint32_t ms = 0) noexcept;
  /// Consumes one armed occurrence; true when the fault applies now (and counts it as injected).
  bool take(FaultKind k) noexcept;
  /// Consumes one Slow occurrence: its delay in ms, 0 when none is armed.
  uint32_t takeSlowMs() noexcept;
  /// An order hit by http5xx is placed anyway (the client must query to learn its fate).
  void setPlaceOn5xx(bool placed) noexcept { placeOn5xx_ = placed; }
  bool placeOn5xx() const noexcept { return placeOn5xx_; }

  uint32_t armed(FaultKind k) const noexcept { return armed_[static_cast<size_t>(k)]; }
  uint64_t injected(FaultKind k) const noexcept { return injected_[static_cast<size_t>(k)]; }

 private:
  std::array<uint32_t, kFaultKinds> armed_{};
  std::array<uint64_t, kFaultKinds> injected_{};
  uint32_t slowMs_ = 0;
  bool placeOn5xx_ = false;
};

}  // namespace hft::execution_engine::exchange_sim
