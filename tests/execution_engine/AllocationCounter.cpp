// Replaces the global allocation functions of test_execution_engine and counts the calls a
// thread makes while an AllocationWindow is open on it (array forms forward here). In a file of
// its own: where GCC sees these bodies next to new-expressions it warns that free() pairs with
// operator new (-Wmismatched-new-delete). Same pattern as tests/managers/AllocationCounter.cpp.
#include "AllocationCounter.h"

#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
// Constant-initialised thread_locals: no TLS init function, safe inside operator new.
thread_local bool tCounting = false;
thread_local uint64_t tAllocations = 0;
}  // namespace

namespace hft::test {
AllocationWindow::AllocationWindow() noexcept {
  tAllocations = 0;
  tCounting = true;
}
AllocationWindow::~AllocationWindow() { tCounting = false; }
uint64_t AllocationWindow::count() const noexcept { return tAllocations; }
}  // namespace hft::test

void* operator new(std::size_t n) {
  if (tCounting) ++tAllocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort uses them): otherwise ASan sees malloc'd memory freed
// by the library's operator delete and reports a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (tCounting) ++tAllocations;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
