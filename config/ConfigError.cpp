#include "config/ConfigError.h"

#include <utility>

namespace hft::config {

namespace {

std::string valueMessage(const std::string& file, const std::string& keyPath, std::string_view expected,
                         std::string_view found) {
  std::string m = file;
  m += ": ";
  m += keyPath.empty() ? std::string("(top level)") : keyPath;
  m += ": expected ";
  m += expected;
  m += ", found ";
  m += found;
  return m;
}

}  // namespace

ConfigError::ConfigError(std::string file, std::string keyPath, std::string_view expected, std::string_view found)
    : std::runtime_error(valueMessage(file, keyPath, expected, found)),
      file_(std::move(file)),
      keyPath_(std::move(keyPath)) {}

ConfigError::ConfigError(std::string file, std::string_view detail)
    : std::runtime_error(file + ": " + std::string(detail)), file_(std::move(file)) {}

}  // namespace hft::config
