#include "data_store/WaitStrategy.h"

#include <initializer_list>

namespace hft::data_store {

const char* toString(WaitKind k) noexcept {
  switch (k) {
    case WaitKind::BusySpin: return "busy_spin";
    case WaitKind::SpinYield: return "spin_yield";
    case WaitKind::Blocking: return "blocking";
  }
  return "?";
}

std::optional<WaitKind> waitKindFromString(const std::string& s) noexcept {
  for (WaitKind k : {WaitKind::BusySpin, WaitKind::SpinYield, WaitKind::Blocking})
    if (s == toString(k)) return k;
  return std::nullopt;
}

}  // namespace hft::data_store
