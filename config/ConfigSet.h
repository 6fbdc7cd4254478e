#pragma once
// The whole configuration directory at once, for --check-config and start-up: the system file,
// its instruments, and every *.json under exchanges/, tick_rules/, order_rules/ and strategies/
// of the system file's folder. Unlike the single-file loaders it does not stop at the first
// problem: every file is tried, and every error (each one naming file, key path, expected and
// found) is collected, so that one run lists everything to fix.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/ConfigError.h"
#include "config/EnvLookup.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "config/TickRules.h"

namespace hft::config {

/// Validates one file of a kind whose loader lives above config/ (order rules: managers,
/// strategies: strategy_engine). Throws ConfigError (or any std::exception) on a problem.
using FileValidator = std::function<void(const std::string& path, const InstrumentRegistry& instruments)>;

struct ConfigSetOptions {
  /// For the exchanges' overrides (the system file reads HFT_BUS_NAME and HFT_LOG_DIR itself).
  EnvLookup env = processEnvironment();
  /// When set, each order_rules/*.json and strategies/*.json goes through it (after the
  /// instruments loaded); when empty, those files are only checked to be well-formed JSON.
  FileValidator orderRules;
  FileValidator strategy;
};

struct ConfigSet {
  std::string dir;  ///< the system file's folder
  std::optional<SystemConfig> system;
  std::optional<InstrumentRegistry> instruments;
  std::map<std::string, ExchangeConfig> exchanges;  ///< by venue (= file name without .json)
  std::map<std::string, TickRules> tickRules;       ///< by file name without .json
  std::vector<std::string> orderRuleFiles;          ///< checked, in name order
  std::vector<std::string> strategyFiles;           ///< checked, in name order
  std::vector<ConfigError> errors;                  ///< everything wrong, in the order found

  bool ok() const noexcept { return errors.empty(); }

  /// Loads `systemFile` and everything around it. Never throws ConfigError: problems end up
  /// in `errors` (a missing subfolder is not one: it simply has no files).
  static ConfigSet load(const std::string& systemFile, const ConfigSetOptions& options = {});

  /// The exchanges/ folder beside a system file: where a daemon looks for
  /// exchanges/<venue>.json when it loads a single venue.
  static std::string exchangesDir(const std::string& systemFile);
};

}  // namespace hft::config
