#pragma once
// A JSON value together with where it sits (file and key path), so that every check made while
// reading configuration reports "<file>: <key path>: expected X, found Y". The typed readers
// here are the only way the loaders read values: one place decides what "an integer" or "a
// decimal" means, and decimals go from text to fixed point without ever passing through double.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hft::config {

/// Reads and parses a JSON file. Throws ConfigError naming the path when the file cannot be
/// read, the byte offset, line and column when the JSON is malformed, and the key path when an
/// object holds the same key twice (plain JSON parsing would silently keep the last one).
nlohmann::json readJsonFile(const std::string& path);

class JsonNode {
 public:
  /// The root of a document that came from `file`. `json` must outlive this node and every
  /// node derived from it (they hold a reference, not a copy).
  JsonNode(const nlohmann::json& json, std::string file) : json_(&json), file_(std::move(file)) {}

  const nlohmann::json& json() const noexcept { return *json_; }
  const std::string& file() const noexcept { return file_; }
  /// "instruments[3].tick_size"; empty for the root.
  const std::string& path() const noexcept { return path_; }

  /// Throws ConfigError for this node; `found` defaults to this node's JSON text.
  [[noreturn]] void fail(std::string_view expected) const;
  [[noreturn]] void fail(std::string_view expected, std::string_view found) const;

  /// Requires an object whose keys are all in `valid`. An unknown key (usually a typo) is an
  /// error naming it and listing the valid ones.
  void expectObject(std::initializer_list<std::string_view> valid) const;
  /// Requires an object; returns its members in key order (for maps keyed by a name).
  std::vector<std::pair<std::string, JsonNode>> members() const;
  /// Requires an array; returns its elements, whose paths read "<path>[i]".
  std::vector<JsonNode> elements() const;

  bool has(std::string_view key) const;
  /// The member `key`; `expected` describes it for the error when the key is missing.
  JsonNode child(std::string_view key, std::string_view expected) const;

  // Typed reads of this node's own value.
  std::string asString() const;
  int64_t asInt(int64_t min, int64_t max) const;
  bool asBool() const;
  /// A decimal *string* ("0.01") as raw units at `scale` decimals, >= minRaw. JSON numbers are
  /// refused: they would have gone through binary floating point in every other JSON tool.
  /// `expected` describes the value for the error message.
  int64_t asDecimal(int scale, int64_t minRaw, std::string_view expected) const;

  // Typed reads of a member: required ones throw when the key is missing, optional ones
  // return the fallback (but still throw when the key is present with a bad value).
  std::string requiredString(std::string_view key) const;
  std::string optionalString(std::string_view key, std::string_view fallback) const;
  int64_t requiredInt(std::string_view key, int64_t min, int64_t max) const;
  int64_t optionalInt(std::string_view key, int64_t min, int64_t max, int64_t fallback) const;
  bool optionalBool(std::string_view key, bool fallback) const;
  int64_t requiredDecimal(std::string_view key, int scale, int64_t minRaw, std::string_view expected) const;
  int64_t optionalDecimal(std::string_view key, int scale, int64_t minRaw, std::string_view expected,
                          int64_t fallback) const;

 private:
  JsonNode(const nlohmann::json& json, std::string file, std::string path)
      : json_(&json), file_(std::move(file)), path_(std::move(path)) {}
  std::string childPath(std::string_view key) const;
  [[noreturn]] void missing(std::string_view key, std::string_view expected) const;

  const nlohmann::json* json_;
  std::string file_;
  std::string path_;
};

/// JSON text of a value for an error message, shortened when long.
std::string describeJson(const nlohmann::json& j);

}  // namespace hft::config
