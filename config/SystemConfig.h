#pragma once
// Process-wide settings loaded at start-up from config/system.json (see README.md for every
// key): the shared-memory bus, per-process placement and idling, where the instruments are,
// and the daemons' logging.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace hft::config {

/// The shared-memory bus (data_store). Maps onto data_store::ShmOptions and the ring sizes.
struct BusConfig {
  std::string name = "main";                 ///< segments are /dev/shm/hft.<name>.*; env HFT_BUS_NAME overrides
  uint64_t market_data_capacity = 1 << 16;   ///< slots of the market-data ring (power of two)
  uint64_t exec_capacity = 1 << 14;          ///< slots of the execution-report ring (power of two)
  uint64_t order_queue_capacity = 1 << 10;   ///< slots of each strategy's order queue (power of two)
  unsigned permissions = 0600;               ///< mode of created segments
  bool prefault = true;                      ///< touch every page at creation
  bool lock_memory = false;                  ///< mlock the mappings
  bool huge_pages = false;                   ///< madvise(MADV_HUGEPAGE)
};

/// Placement and idling of one process's main (hot) thread.
struct ProcessConfig {
  int core = -1;                   ///< CPU to pin to; -1 = not pinned
  std::string wait = "spin_yield"; ///< "busy_spin", "spin_yield" or "blocking" (data_store::waitKindFromString)
  bool mlockall = false;           ///< mlockall() at start-up
};

struct SystemConfig {
  /// Largest ring or queue accepted: a typo of a few digits must not try to map terabytes.
  static constexpr uint64_t kMaxCapacity = uint64_t{1} << 30;
  /// Largest core index accepted (CPU_SETSIZE); whether the core exists is checked when pinning.
  static constexpr int kMaxCore = 1023;

  std::string source;  ///< the file this came from ("" when built from JSON in memory)
  BusConfig bus;
  std::map<std::string, ProcessConfig> processes;  ///< "datafeed", "data_recorder", "order_executor", ...
  std::string instruments_file;                    ///< resolved against the system.json's directory
  /// The "logging" object, validated here, kept as JSON: each daemon builds its LogService from
  /// it with common::log::LogConfig::fromJson (config does not link the log library). An
  /// empty object when the file has none; "dir" replaced by HFT_LOG_DIR in loadFile.
  nlohmann::json logging = nlohmann::json::object();

  /// Reads and validates a file, then applies the environment overrides (HFT_BUS_NAME, HFT_LOG_DIR).
  /// Throws ConfigError naming the file and the key path.
  static SystemConfig loadFile(const std::string& path);
  /// Validates a parsed document; `source` names it in errors, a relative "instruments" path is
  /// resolved against `baseDir`. Pure: does not look at the environment.
  static SystemConfig fromJson(const nlohmann::json& j, const std::string& source, const std::string& baseDir);

  /// The settings of `name`, or the defaults when the file does not mention it.
  ProcessConfig process(const std::string& name) const;
};

}  // namespace hft::config
