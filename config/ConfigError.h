#pragma once
// The one exception type of configuration loading. Start-up only: a process that cannot read
// its configuration refuses to start, and the message must be enough to fix the file without
// opening a debugger, so it always names the file, the key path, what was expected and what
// was found.
#include <stdexcept>
#include <string>
#include <string_view>

namespace hft::config {

class ConfigError : public std::runtime_error {
 public:
  /// A bad value: "<file>: <keyPath>: expected <expected>, found <found>".
  /// `keyPath` is in the JSON's own terms, e.g. "instruments[3].tick_size"; `found` is shown
  /// as given (callers pass JSON text, so strings arrive quoted).
  ConfigError(std::string file, std::string keyPath, std::string_view expected, std::string_view found);
  /// A whole-file problem (missing file, JSON syntax): "<file>: <detail>".
  ConfigError(std::string file, std::string_view detail);

  const std::string& file() const noexcept { return file_; }
  /// Empty for whole-file problems.
  const std::string& keyPath() const noexcept { return keyPath_; }

 private:
  std::string file_;
  std::string keyPath_;
};

}  // namespace hft::config
