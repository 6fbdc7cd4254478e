#pragma once
// An application/x-www-form-urlencoded parameter list (a REST query string or form body), as the
// venue reads it: percent-decoded values by name, plus the raw text the signature covers.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hft::execution_engine::exchange_sim {

class QueryString {
 public:
  QueryString() = default;
  /// Splits `raw` on '&' and '='; '+' and %XX are decoded in names and values. Never throws on
  /// malformed escapes (they are kept as written: the signature check rejects such requests).
  explicit QueryString(std::string_view raw);
  /// Adds the parameters of another list (a form body after the query string).
  void append(std::string_view raw);
  /// Adds one already-decoded parameter (WebSocket API params).
  void add(std::string key, std::string value) { params_.emplace_back(std::move(key), std::move(value)); }

  /// The decoded value of the first parameter named `key`; nullptr when absent.
  const std::string* find(std::string_view key) const noexcept;
  /// find(key) or "" when absent.
  std::string_view get(std::string_view key) const noexcept;
  bool has(std::string_view key) const noexcept { return find(key) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& params() const noexcept { return params_; }

  static std::string decode(std::string_view s);

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

/// The raw text a Binance REST signature covers: `query` then `body` (no joiner), each with its
/// `signature=` parameter removed. Binance signs totalParams = query string + request body.
std::string signedPayloadOf(std::string_view query, std::string_view body);

}  // namespace hft::execution_engine::exchange_sim
