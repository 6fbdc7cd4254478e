// Replaces the global allocation functions for the whole test binary and counts every call
// (array forms forward here). In a file of its own: where GCC sees these bodies next to
// new-expressions it warns that free() pairs with operator new (-Wmismatched-new-delete).
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
std::atomic<uint64_t> gAllocations{0};
}  // namespace

namespace hft::test {
uint64_t allocationCount() noexcept { return gAllocations.load(std::memory_order_relaxed); }
}  // namespace hft::test

void* operator new(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort uses them): otherwise ASan sees malloc'd memory freed
// by the library's operator delete and reports a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
