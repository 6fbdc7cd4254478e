#include "common/log/LogService.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace hft::common::log {

namespace {

spdlog::level::level_enum toSpd(Level l) noexcept {
  switch (l) {
    case Level::Trace: return spdlog::level::trace;
    case Level::Debug: return spdlog::level::debug;
    case Level::Info: return spdlog::level::info;
    case Level::Warn: return spdlog::level::warn;
    case Level::Error: return spdlog::level::err;
    case Level::Critical: return spdlog::level::critical;
    case Level::Off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

Level levelAt(const nlohmann::json& v, const std::string& source, const std::string& key) {
  const auto l = v.is_string() ? levelFromString(v.get<std::string>()) : std::nullopt;
  if (!l) throw std::invalid_argument(source + ": " + key + ": expected one of trace, debug, info, warn, error, critical, off, found " + v.dump());
  return *l;
}

}  // namespace

LogConfig LogConfig::fromJson(const nlohmann::json& j, const std::string& source, std::string process) {
  LogConfig c;
  c.process = std::move(process);
  if (!j.is_object()) throw std::invalid_argument(source + ": logging: expected an object, found " + j.dump());
  for (const auto& [key, v] : j.items()) {
    const std::string where = "logging." + key;
    if (key == "dir") {
      if (!v.is_string() || v.get<std::string>().empty()) throw std::invalid_argument(source + ": " + where + ": expected a directory, found " + v.dump());
      c.dir = v.get<std::string>();
    } else if (key == "level") {
      c.level = levelAt(v, source, where);
    } else if (key == "components") {
      if (!v.is_object()) throw std::invalid_argument(source + ": " + where + ": expected {\"component\": \"level\"}, found " + v.dump());
      for (const auto& [name, lv] : v.items()) c.components[name] = levelAt(lv, source, where + "." + name);
    } else if (key == "max_file_mb") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 4096)
        throw std::invalid_argument(source + ": " + where + ": expected 1 to 4096, found " + v.dump());
      c.max_file_bytes = static_cast<size_t>(v.get<int64_t>()) << 20;
    } else if (key == "max_files") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000)
        throw std::invalid_argument(source + ": " + where + ": expected 1 to 1000, found " + v.dump());
      c.max_files = static_cast<size_t>(v.get<int64_t>());
    } else if (key == "stderr") {
      if (!v.is_boolean()) throw std::invalid_argument(source + ": " + where + ": expected true or false, found " + v.dump());
      c.also_stderr = v.get<bool>();
    } else {
      throw std::invalid_argument(source + ": " + where + ": unknown key (expected dir, level, components, max_file_mb, max_files, stderr)");
    }
  }
  return c;
}

LogService::LogService(LogConfig config) : config_(std::move(config)) {
  std::filesystem::create_directories(config_.dir);
  path_ = (std::filesystem::path(config_.dir) / (config_.process + ".log")).string();
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path_, config_.max_file_bytes, config_.max_files));
  if (config_.also_stderr) {
    auto err = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    err->set_level(spdlog::level::warn);
    sinks.push_back(err);
  }
  logger_ = std::make_shared<spdlog::logger>(config_.process, sinks.begin(), sinks.end());
  logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
  logger_->set_level(spdlog::level::trace);  // the components decide
  logger_->flush_on(spdlog::level::warn);
  writer_ = std::thread([this] { writerLoop(); });
}

LogService::~LogService() {
  {
    std::lock_guard lock(wakeMu_);
    stop_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  drainNow();
}

Component& LogService::component(const std::string& name) {
  std::lock_guard lock(mu_);
  for (Component& c : components_)
    if (c.name == name) return c;
  const auto it = config_.components.find(name);
  return components_.emplace_back(name, it != config_.components.end() ? it->second : config_.level);
}

HotLogger& LogService::hotLogger(uint32_t capacity) {
  std::lock_guard lock(mu_);
  hot_.push_back(std::make_unique<HotLogger>(capacity));
  return *hot_.back();
}

void LogService::write(const Component& c, Level l, std::string_view text) {
  logger_->log(toSpd(l), "[{}] {}", c.name, text);
}

void LogService::drainNow() {
  std::lock_guard lock(mu_);
  fmt::memory_buffer buf;
  for (auto& h : hot_)
    h->drain([&](const HotRecord& r) {
      buf.clear();
      try {
        r.format(r, buf);
      } catch (const std::exception& e) {
        buf.clear();
        fmt::format_to(std::back_inserter(buf), "(bad log pattern \"{}\": {})", r.pattern, e.what());
      }
      const auto when = spdlog::log_clock::time_point(std::chrono::duration_cast<spdlog::log_clock::duration>(std::chrono::nanoseconds(r.wall_ns)));
      logger_->log(when, spdlog::source_loc{}, toSpd(r.level), fmt::format("[{}] {}", r.component->name, fmt::string_view(buf.data(), buf.size())));
    });
  logger_->flush();
}

uint64_t LogService::dropped() const {
  std::lock_guard lock(mu_);
  uint64_t n = 0;
  for (const auto& h : hot_) n += h->dropped();
  return n;
}

void LogService::writerLoop() {
  std::unique_lock lock(wakeMu_);
  while (!stop_.load(std::memory_order_acquire)) {
    wake_.wait_for(lock, std::chrono::milliseconds(config_.flush_interval_ms),
                   [this] { return stop_.load(std::memory_order_acquire); });
    lock.unlock();
    drainNow();
    lock.lock();
  }
}

}  // namespace hft::common::log
