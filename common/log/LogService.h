#pragma once
// A process's log: per-process files with size-based rotation (spdlog), per-component levels,
// and a thread that formats what hot threads queued (HotLog.h). Cold paths log directly
// (formatting on the caller is fine there).
//
//   log::LogService logs({.dir = "data/logs/daemons", .process = "order_executor", .level = Level::Info,
//                         .components = {{"risk", Level::Debug}}});
//   log::Component& risk = logs.component("risk");
//   log::HotLogger& hot = logs.hotLogger();            // one per hot thread
//   logs.info(risk, "recovered {} orders", n);           // cold
//   hot.log(risk, Level::Warn, "refused {}", id);        // hot: copied, formatted later
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/log/HotLog.h"
#include "common/log/LogLevel.h"

namespace spdlog {
class logger;
}

namespace hft::common::log {

struct LogConfig {
  std::string dir = "data/logs/daemons";  ///< files: <dir>/<process>.log, .1.log, ...
  std::string process = "hft";
  Level level = Level::Info;               ///< components without their own level
  std::map<std::string, Level> components;
  size_t max_file_bytes = 64u << 20;
  size_t max_files = 5;
  bool also_stderr = true;                 ///< warnings and above also to stderr
  int flush_interval_ms = 200;             ///< the writer thread's drain/flush period (hot records)

  /// {"dir": ..., "level": "info", "components": {"risk": "debug"}, "max_file_mb": 64,
  ///  "max_files": 5, "stderr": true}. Throws config-style std::invalid_argument naming
  /// `source` and the key for bad values.
  static LogConfig fromJson(const nlohmann::json& j, const std::string& source, std::string process);
};

class LogService {
 public:
  explicit LogService(LogConfig config);
  ~LogService();  // drains every hot logger, flushes, stops the thread
  LogService(const LogService&) = delete;
  LogService& operator=(const LogService&) = delete;

  /// The component of this name (created with the configured or default level). Stable address.
  Component& component(const std::string& name);
  /// A new ring for one hot thread (cold: call at start-up). Owned by the service.
  HotLogger& hotLogger(uint32_t capacity = 4096);

  template <class... Args>
  void log(const Component& c, Level l, fmt::format_string<Args...> f, Args&&... args) {
    if (!c.enabled(l)) return;
    write(c, l, fmt::format(f, std::forward<Args>(args)...));
  }
  template <class... Args>
  void info(const Component& c, fmt::format_string<Args...> f, Args&&... args) {
    log(c, Level::Info, f, std::forward<Args>(args)...);
  }
  template <class... Args>
  void warn(const Component& c, fmt::format_string<Args...> f, Args&&... args) {
    log(c, Level::Warn, f, std::forward<Args>(args)...);
  }
  template <class... Args>
  void error(const Component& c, fmt::format_string<Args...> f, Args&&... args) {
    log(c, Level::Error, f, std::forward<Args>(args)...);
  }

  /// Formats and writes everything the hot loggers queued so far, then flushes (the writer
  /// thread does this every flush_interval_ms; tests and shutdown call it directly).
  void drainNow();
  /// Records lost to full rings, all hot loggers together.
  uint64_t dropped() const;
  const std::string& path() const noexcept { return path_; }

 private:
  void write(const Component& c, Level l, std::string_view text);
  void writerLoop();

  LogConfig config_;
  std::string path_;
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mu_;  // components_, hot_ (cold-path structures), and draining
  std::deque<Component> components_;
  std::vector<std::unique_ptr<HotLogger>> hot_;
  std::mutex wakeMu_;  // the writer's sleep, cut short on shutdown
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};
  std::thread writer_;
};

}  // namespace hft::common::log
