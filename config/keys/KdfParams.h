#pragma once
// scrypt cost parameters for deriving the store key from a passphrase.
#include <cstdint>
#include <string>

namespace hft::config::keys {

/// scrypt(N, r, p): memory 128 * N * r bytes, time proportional to N * r * p.
///
/// The default, N = 2^17, r = 8, p = 1 (128 MiB, about 0.3-0.5 s on one core), is the
/// OWASP-recommended minimum for scrypt; it is paid once per process start (or CLI call).
/// They are written into each store's header, so a store keeps the parameters it was created
/// with. Tests use forTests() (N = 2^10, r = 1: about a millisecond).
struct KdfParams {
  static constexpr uint64_t kMaxN = uint64_t{1} << 22;
  static constexpr uint32_t kMaxR = 32;
  static constexpr uint32_t kMaxP = 16;
  static constexpr uint64_t kMaxMemoryBytes = uint64_t{1} << 30;  ///< refuses headers asking for more

  uint64_t n = uint64_t{1} << 17;  ///< CPU/memory cost: a power of two, 2 .. 2^22
  uint32_t r = 8;                  ///< block size: 1 .. 32
  uint32_t p = 1;                  ///< parallelism: 1 .. 16

  static KdfParams forTests() noexcept { return {uint64_t{1} << 10, 1, 1}; }

  /// Bytes scrypt will allocate (128 * N * r * p, the V array and the p B blocks rounded up).
  uint64_t memoryBytes() const noexcept { return 128 * n * r + 128 * uint64_t{r} * p + 1024 * 1024; }

  /// Empty when usable; otherwise what is wrong ("scrypt N 1000 is not a power of two").
  std::string check() const {
    if (n < 2 || n > kMaxN || (n & (n - 1)) != 0) {
      std::string s = "scrypt N ";
      s.append(std::to_string(n)).append(" is not a power of two in 2..").append(std::to_string(kMaxN));
      return s;
    }
    if (r < 1 || r > kMaxR) {
      std::string s = "scrypt r ";
      s.append(std::to_string(r)).append(" is outside 1..").append(std::to_string(kMaxR));
      return s;
    }
    if (p < 1 || p > kMaxP) {
      std::string s = "scrypt p ";
      s.append(std::to_string(p)).append(" is outside 1..").append(std::to_string(kMaxP));
      return s;
    }
    if (memoryBytes() > kMaxMemoryBytes) return "scrypt parameters need more than 1 GiB";
    return {};
  }
};

}  // namespace hft::config::keys
