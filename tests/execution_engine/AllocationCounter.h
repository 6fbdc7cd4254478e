#pragma once
// Counts operator new calls made by the current thread inside a scope (AllocationCounter.cpp
// replaces the global allocation functions of test_execution_engine). Outside a window nothing
// is counted, so the other tests in the binary are unaffected.
#include <cstdint>

namespace hft::test {

/// Counts this thread's allocations from construction to destruction (windows do not nest).
class AllocationWindow {
 public:
  AllocationWindow() noexcept;
  ~AllocationWindow();
  AllocationWindow(const AllocationWindow&) = delete;
  AllocationWindow& operator=(const AllocationWindow&) = delete;
  /// Allocations so far in this window.
  uint64_t count() const noexcept;
};

}  // namespace hft::test
