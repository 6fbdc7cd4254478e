#pragma once
// Helpers shared by the config tests: capture a ConfigError's message, write scratch files.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "config/ConfigError.h"

namespace hft::test {

/// A file shipped in config/, found through the source tree rather than the cwd.
inline std::string shippedConfig(std::string_view file) {
  return std::string(HFT_SOURCE_DIR) + "/config/" + std::string(file);
}

/// The message of the ConfigError `f` throws, or a marker when it throws none.
template <class F>
std::string configErrorOf(F&& f) {
  try {
    f();
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "(no ConfigError thrown)";
}

/// Every part must occur in the message (file name, key path, expected, found...).
inline void expectMentions(const std::string& message, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts)
    EXPECT_NE(message.find(p), std::string::npos) << "message lacks \"" << p << "\": " << message;
}

/// A scratch directory removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("hft-config-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, std::string_view text) const {
    const std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

}  // namespace hft::test
