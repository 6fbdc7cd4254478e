#include "config/SystemConfig.h"

#include <bit>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/log/LogLevel.h"
#include "config/ConfigError.h"
#include "config/JsonNode.h"

namespace hft::config {

namespace {

constexpr const char* kBusNameRule = "a bus name of 1 to 64 letters, digits, '_' or '-'";
constexpr const char* kWaitNames = "one of busy_spin, spin_yield, blocking";
constexpr const char* kLevelNames = "one of trace, debug, info, warn, error, critical, off";

/// The bus name becomes part of /dev/shm file names "hft.<bus>.<segment>": no '/', and no '.'
/// so that a name cannot reach into another bus's namespace.
bool isBusName(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

uint64_t capacity(const JsonNode& bus, std::string_view key, uint64_t fallback) {
  if (!bus.has(key)) return fallback;
  const JsonNode n = bus.child(key, "");
  const auto v = static_cast<uint64_t>(n.asInt(2, static_cast<int64_t>(SystemConfig::kMaxCapacity)));
  if (!std::has_single_bit(v)) n.fail("a power of two from 2 to 2^30 (ring indices are masked)");
  return v;
}

/// "0600" or "600": an octal string, because a JSON number 600 would silently mean 01130.
unsigned permissions(const JsonNode& bus, unsigned fallback) {
  if (!bus.has("permissions")) return fallback;
  const JsonNode n = bus.child("permissions", "");
  constexpr const char* kRule = "an octal mode string of 3 or 4 digits within 0777, owner read-write, e.g. \"0600\"";
  if (!n.json().is_string()) n.fail(kRule);
  const std::string s = n.asString();
  if (s.size() < 3 || s.size() > 4) n.fail(kRule);
  unsigned mode = 0;
  for (char c : s) {
    if (c < '0' || c > '7') n.fail(kRule);
    mode = mode * 8 + static_cast<unsigned>(c - '0');
  }
  // Beyond 0777 are setuid/setgid/sticky, meaningless for shared memory. Without owner
  // read-write, processes of the same user could not attach to the segments they created.
  if (mode > 0777 || (mode & 0600) != 0600) n.fail(kRule);
  return mode;
}

BusConfig readBus(const JsonNode& bus) {
  bus.expectObject({"name", "market_data_capacity", "exec_capacity", "order_queue_capacity", "permissions",
                    "prefault", "lock_memory", "huge_pages"});
  BusConfig c;
  if (bus.has("name")) {
    const JsonNode n = bus.child("name", "");
    c.name = n.asString();
    if (!isBusName(c.name)) n.fail(kBusNameRule);
  }
  c.market_data_capacity = capacity(bus, "market_data_capacity", c.market_data_capacity);
  c.exec_capacity = capacity(bus, "exec_capacity", c.exec_capacity);
  c.order_queue_capacity = capacity(bus, "order_queue_capacity", c.order_queue_capacity);
  c.permissions = permissions(bus, c.permissions);
  c.prefault = bus.optionalBool("prefault", c.prefault);
  c.lock_memory = bus.optionalBool("lock_memory", c.lock_memory);
  c.huge_pages = bus.optionalBool("huge_pages", c.huge_pages);
  return c;
}

ProcessConfig readProcess(const JsonNode& p) {
  p.expectObject({"core", "wait", "mlockall"});
  ProcessConfig c;
  c.core = static_cast<int>(p.optionalInt("core", -1, SystemConfig::kMaxCore, c.core));
  if (p.has("wait")) {
    const JsonNode n = p.child("wait", "");
    c.wait = n.asString();
    if (c.wait != "busy_spin" && c.wait != "spin_yield" && c.wait != "blocking") n.fail(kWaitNames);
  }
  c.mlockall = p.optionalBool("mlockall", c.mlockall);
  return c;
}

void checkLevel(const JsonNode& n) {
  if (!n.json().is_string() || !common::log::levelFromString(n.json().get<std::string>())) n.fail(kLevelNames);
}

/// The same rules as common::log::LogConfig::fromJson, checked here so that every loader error
/// (and --check-config) names the file and key path in the usual way.
nlohmann::json readLogging(const JsonNode& log) {
  log.expectObject({"dir", "level", "components", "max_file_mb", "max_files", "stderr"});
  if (log.has("dir") && log.child("dir", "").asString().empty()) log.child("dir", "").fail("a directory");
  if (log.has("level")) checkLevel(log.child("level", ""));
  if (log.has("components"))
    for (const auto& [name, level] : log.child("components", "").members()) checkLevel(level);
  (void)log.optionalInt("max_file_mb", 1, 4096, 64);
  (void)log.optionalInt("max_files", 1, 1000, 5);
  (void)log.optionalBool("stderr", true);
  return log.json();
}

}  // namespace

SystemConfig SystemConfig::loadFile(const std::string& path) {
  const nlohmann::json j = readJsonFile(path);
  SystemConfig c = fromJson(j, path, std::filesystem::path(path).parent_path().string());
  // The override lets tests and side-by-side runs use their own bus without editing the file.
  // Set-but-empty counts as unset, the usual shell convention.
  if (const char* env = std::getenv("HFT_BUS_NAME"); env != nullptr && *env != '\0') {
    if (!isBusName(env))
      throw ConfigError(path, "bus.name (from the environment variable HFT_BUS_NAME)", kBusNameRule,
                        describeJson(std::string(env)));
    c.bus.name = env;
  }
  // Tests and side-by-side runs keep their daemon logs apart the same way.
  if (const char* env = std::getenv("HFT_LOG_DIR"); env != nullptr && *env != '\0') c.logging["dir"] = env;
  return c;
}

SystemConfig SystemConfig::fromJson(const nlohmann::json& j, const std::string& source, const std::string& baseDir) {
  const JsonNode root(j, source);
  root.expectObject({"bus", "processes", "instruments", "logging"});
  SystemConfig c;
  c.source = source;
  if (root.has("bus")) c.bus = readBus(root.child("bus", ""));
  if (root.has("processes")) {
    for (const auto& [name, node] : root.child("processes", "").members()) c.processes.emplace(name, readProcess(node));
  }
  const std::filesystem::path instruments = root.optionalString("instruments", "instruments.json");
  if (instruments.empty()) root.child("instruments", "").fail("a file path");
  c.instruments_file = (std::filesystem::path(baseDir) / instruments).lexically_normal().string();
  if (root.has("logging")) c.logging = readLogging(root.child("logging", ""));
  return c;
}

ProcessConfig SystemConfig::process(const std::string& name) const {
  const auto it = processes.find(name);
  return it == processes.end() ? ProcessConfig{} : it->second;
}

}  // namespace hft::config
