#include "config/ExchangeConfig.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "common/Ids.h"
#include "config/ConfigError.h"
#include "config/JsonNode.h"
#include "config/VenueSymbol.h"

namespace hft::config {

namespace {

constexpr const char* kVenueNames =
    "a venue name of [a-z0-9_]: binance, binance_futures, upbit, bithumb, simulated, or a new venue's (with exchange_id "
    "and symbol_format)";

/// "exchange_id" and "symbol_format": a built-in venue may state them (they must be its own); a
/// new venue must, and is registered here (common::registerExchange, config::setSymbolFormat),
/// so every later lookup of its name - instruments, risk limits, executor gateways - knows it.
void readIdentity(const JsonNode& root, const JsonNode& venue, ExchangeConfig& c) {
  const common::ExchangeId known = common::exchangeFromString(c.venue.c_str());
  const bool newVenue = known == common::ExchangeId::None;
  const char* idExpected = "the venue's wire id, 5..65535 and not 100 (persisted in recordings: never reuse one)";
  const char* formatExpected = "\"BASEQUOTE\", \"QUOTE-BASE\", \"BASE-QUOTE\" or \"BASE_QUOTE\"";
  if (newVenue && !root.has("exchange_id")) venue.fail(kVenueNames, "\"" + c.venue + "\" without exchange_id");
  if (newVenue && !root.has("symbol_format")) venue.fail(kVenueNames, "\"" + c.venue + "\" without symbol_format");
  common::ExchangeId id = known;
  if (root.has("exchange_id")) {
    const JsonNode n = root.child("exchange_id", idExpected);
    id = static_cast<common::ExchangeId>(n.asInt(1, 65535));
    if (!newVenue && id != known)
      n.fail(std::to_string(static_cast<unsigned>(known)) + ", " + c.venue + "'s built-in id", n.json().dump());
    if (newVenue) {
      switch (common::registerExchange(id, c.venue.c_str())) {
        case common::RegisterExchangeError::None: break;
        case common::RegisterExchangeError::BadName: venue.fail(kVenueNames);
        case common::RegisterExchangeError::TableFull: n.fail("room in the venue table (32 registered venues at most)");
        default: n.fail(idExpected, n.json().dump() + ", already " + common::toString(id) + "'s");
      }
    }
  }
  if (root.has("symbol_format")) {
    const JsonNode n = root.child("symbol_format", formatExpected);
    const SymbolFormat f = n.json().is_string() ? symbolFormatFromString(n.asString()) : SymbolFormat::None;
    if (f == SymbolFormat::None) n.fail(formatExpected);
    if (!setSymbolFormat(id, f)) n.fail(std::string("the venue's own format (") + c.venue + " is built in)");
  }
}
constexpr const char* kHttpUrl = "an http:// or https:// URL (scheme://host[:port][/path], no user info)";
constexpr const char* kWsUrl = "a ws:// or wss:// URL (scheme://host[:port][/path], no user info)";
constexpr int64_t kMaxMs = 3'600'000;  // an hour: anything longer is a typo

std::string jsonText(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

/// Why `url` is not a URL of one of the two schemes, or "" when it is. Deliberately strict:
/// an endpoint is copied from documentation, and a stray space or a missing "//" must be
/// caught here, not at the first connect.
std::string urlProblem(std::string_view url, std::string_view plain, std::string_view tls) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return "no scheme";
  const std::string_view scheme = url.substr(0, sep);
  if (scheme != plain && scheme != tls) return "scheme \"" + std::string(scheme) + "\"";
  std::string_view rest = url.substr(sep + 3);
  const size_t pathAt = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, pathAt);
  const std::string_view path = pathAt == std::string_view::npos ? std::string_view{} : rest.substr(pathAt);
  if (authority.find('@') != std::string_view::npos) return "user info in the URL";
  std::string_view host = authority;
  if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos && authority.front() != '[') {
    host = authority.substr(0, colon);
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return "bad port";
    int64_t p = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return "bad port";
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) return "bad port";
  }
  if (host.empty()) return "no host";
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '[' || c == ']' || c == ':';
    if (!ok) return "bad character in the host";
  }
  for (char c : path)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "whitespace or control character";
  return {};
}

std::string readUrl(const JsonNode& n, bool websocket) {
  const char* rule = websocket ? kWsUrl : kHttpUrl;
  if (!n.json().is_string()) n.fail(rule);
  std::string s = n.asString();
  const std::string why = websocket ? urlProblem(s, "ws", "wss") : urlProblem(s, "http", "https");
  if (!why.empty()) n.fail(rule, jsonText(s) + " (" + why + ")");
  return s;
}

/// A route is a path suffix of ws_url: "" (the base itself) or "/...".
std::string readRoute(const JsonNode& n) {
  constexpr const char* kRule = "a path \"\" or starting with '/', without whitespace";
  const std::string s = n.asString();
  if (!s.empty() && s.front() != '/') n.fail(kRule);
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ') n.fail(kRule);
  return s;
}

UserDataConfig readUserData(const JsonNode& n, const ExchangeEndpoints& ep) {
  n.expectObject({"transport", "ws_route", "listen_key_path", "keepalive_ms"});
  UserDataConfig u;
  constexpr const char* kTransports = "one of ws_api, listen_key, private_ws";
  const JsonNode t = n.child("transport", kTransports);
  const std::string name = t.asString();
  if (name == "ws_api") u.transport = UserDataTransport::WsApi;
  else if (name == "listen_key") u.transport = UserDataTransport::ListenKey;
  else if (name == "private_ws") u.transport = UserDataTransport::PrivateWs;
  else t.fail(kTransports);

  const auto onlyFor = [&](std::string_view key, const char* what) {
    if (n.has(key)) n.child(key, "").fail(std::string("no \"") + std::string(key) + "\" with transport " + name +
                                          " (" + what + ")");
  };
  if (u.transport == UserDataTransport::WsApi) {
    if (ep.ws_api_url.empty())
      t.fail("a transport the environment supports (ws_api needs \"ws_api_url\")");
    onlyFor("ws_route", "the WebSocket API has its own URL");
  } else {
    const JsonNode r = n.child("ws_route", "the name of one of ws_routes");
    u.ws_route = r.asString();
    if (ep.ws_routes.count(u.ws_route) == 0) {
      std::string names;
      for (const auto& [k, v] : ep.ws_routes) names.append(names.empty() ? "" : ", ").append(k);
      r.fail("the name of one of ws_routes (" + (names.empty() ? std::string("none defined") : names) + ")");
    }
  }
  if (u.transport == UserDataTransport::ListenKey) {
    const JsonNode p = n.child("listen_key_path", "a REST path starting with '/'");
    u.listen_key_path = p.asString();
    if (u.listen_key_path.empty() || u.listen_key_path.front() != '/') p.fail("a REST path starting with '/'");
    // Binance listen keys expire after 60 minutes without a keepalive.
    u.keepalive_ms = n.requiredInt("keepalive_ms", 60'000, kMaxMs);
  } else {
    onlyFor("listen_key_path", "only listen_key uses it");
    onlyFor("keepalive_ms", "only listen_key uses it");
  }
  return u;
}

ExchangeEndpoints readEnvironment(const JsonNode& n) {
  n.expectObject({"rest_url", "ws_url", "ws_routes", "ws_api_url", "user_data"});
  ExchangeEndpoints ep;
  ep.rest_url = readUrl(n.child("rest_url", kHttpUrl), false);
  ep.ws_url = readUrl(n.child("ws_url", kWsUrl), true);
  if (n.has("ws_routes"))
    for (const auto& [name, route] : n.child("ws_routes", "").members()) ep.ws_routes[name] = readRoute(route);
  if (n.has("ws_api_url")) ep.ws_api_url = readUrl(n.child("ws_api_url", kWsUrl), true);
  ep.user_data = readUserData(n.child("user_data", "an object {\"transport\": ...}"), ep);
  return ep;
}

ReconnectConfig readReconnect(const JsonNode& n) {
  n.expectObject({"connect_timeout_ms", "request_timeout_ms", "initial_backoff_ms", "max_backoff_ms",
                  "dead_stream_timeout_ms", "max_connection_age_s"});
  ReconnectConfig r;
  r.connect_timeout_ms = n.optionalInt("connect_timeout_ms", 100, 600'000, r.connect_timeout_ms);
  r.request_timeout_ms = n.optionalInt("request_timeout_ms", 100, 600'000, r.request_timeout_ms);
  r.initial_backoff_ms = n.optionalInt("initial_backoff_ms", 1, 600'000, r.initial_backoff_ms);
  r.max_backoff_ms = n.optionalInt("max_backoff_ms", 1, kMaxMs, r.max_backoff_ms);
  if (r.max_backoff_ms < r.initial_backoff_ms)
    n.child("max_backoff_ms", "").fail("an integer >= initial_backoff_ms (" + std::to_string(r.initial_backoff_ms) + ")");
  r.dead_stream_timeout_ms = n.optionalInt("dead_stream_timeout_ms", 1'000, kMaxMs, r.dead_stream_timeout_ms);
  // Binance drops every connection at 24 h: a configured age beyond that is a mistake.
  r.max_connection_age_s = n.optionalInt("max_connection_age_s", 0, 86'400, r.max_connection_age_s);
  return r;
}

RateLimits readRateLimits(const JsonNode& n) {
  n.expectObject({"request_weight_per_minute", "requests_per_second", "market_data_requests_per_second",
                  "order_requests_per_second", "orders_per_10s", "orders_per_minute", "orders_per_day",
                  "ws_messages_per_second", "ws_messages_per_minute", "ws_connections_per_second",
                  "ws_connections_per_5min"});
  RateLimits l;
  const auto get = [&](std::string_view key, int64_t& field) { field = n.optionalInt(key, 1, 1'000'000'000, 0); };
  get("request_weight_per_minute", l.request_weight_per_minute);
  get("requests_per_second", l.requests_per_second);
  get("market_data_requests_per_second", l.market_data_requests_per_second);
  get("order_requests_per_second", l.order_requests_per_second);
  get("orders_per_10s", l.orders_per_10s);
  get("orders_per_minute", l.orders_per_minute);
  get("orders_per_day", l.orders_per_day);
  get("ws_messages_per_second", l.ws_messages_per_second);
  get("ws_messages_per_minute", l.ws_messages_per_minute);
  get("ws_connections_per_second", l.ws_connections_per_second);
  get("ws_connections_per_5min", l.ws_connections_per_5min);
  return l;
}

/// "venue:market", each part 1..32 of [a-z0-9_] (the key store's KeyId rule; config does not
/// link the key store).
bool isKeyId(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  const auto part = [](std::string_view p) {
    if (p.empty() || p.size() > 32) return false;
    for (char c : p)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
  };
  return part(s.substr(0, colon)) && part(s.substr(colon + 1));
}

std::string environmentNames(const std::map<std::string, ExchangeEndpoints>& envs) {
  std::string names;
  for (const auto& [k, v] : envs) names.append(names.empty() ? "" : ", ").append(k);
  return names;
}

/// Checks an override's value as the file's own value would be checked. The value is shown:
/// endpoints are not secrets (user info, the one place a URL could carry one, is refused).
std::string overrideUrl(const std::string& source, const std::string& var, const char* value, bool websocket) {
  const std::string why = websocket ? urlProblem(value, "ws", "wss") : urlProblem(value, "http", "https");
  if (!why.empty())
    throw ConfigError(source, var + " (environment)", websocket ? kWsUrl : kHttpUrl,
                      jsonText(value) + " (" + why + ")");
  return value;
}

}  // namespace

const char* toString(OrderEntry e) noexcept { return e == OrderEntry::WsApi ? "ws_api" : "rest"; }

const char* toString(UserDataTransport t) noexcept {
  switch (t) {
    case UserDataTransport::WsApi: return "ws_api";
    case UserDataTransport::ListenKey: return "listen_key";
    case UserDataTransport::PrivateWs: return "private_ws";
  }
  return "?";
}

std::string ExchangeEndpoints::wsUrl(std::string_view route) const {
  const auto it = ws_routes.find(std::string(route));
  if (it == ws_routes.end()) throw std::out_of_range("no WebSocket route \"" + std::string(route) + "\"");
  std::string url = ws_url;
  url.append(it->second);
  return url;
}

std::string ExchangeConfig::envName(std::string_view venue, std::string_view suffix) {
  std::string name = "HFT_";
  for (char c : venue) name.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  name.push_back('_');
  name.append(suffix);
  return name;
}

ExchangeConfig ExchangeConfig::loadFile(const std::string& path, const EnvLookup& env) {
  const nlohmann::json j = readJsonFile(path);
  return fromJson(j, path, env);
}

ExchangeConfig ExchangeConfig::fromJson(const nlohmann::json& j, const std::string& source, const EnvLookup& env) {
  const JsonNode root(j, source);
  root.expectObject({"venue", "exchange_id", "symbol_format", "active", "keys", "order_entry", "recv_window_ms",
                     "environments", "reconnect", "rate_limits"});
  ExchangeConfig c;
  c.source = source;
  const JsonNode venue = root.child("venue", kVenueNames);
  c.venue = venue.asString();
  readIdentity(root, venue, c);

  if (root.has("keys")) {
    const JsonNode k = root.child("keys", "");
    c.keys = k.asString();
    if (!isKeyId(c.keys)) k.fail("a key-store entry \"venue:market\" of [a-z0-9_] (e.g. \"binance:spot\")");
  }
  c.recv_window_ms = root.optionalInt("recv_window_ms", 1, 60'000, 0);  // Binance refuses more than 60 s

  const JsonNode envs = root.child("environments", "an object of environments {\"production\": {...}}");
  for (const auto& [name, e] : envs.members()) c.environments.emplace(name, readEnvironment(e));
  if (c.environments.empty()) envs.fail("at least one environment");

  const JsonNode active = root.child("active", "the name of one of the environments");
  c.active = active.asString();
  const std::string envVar = envName(c.venue, "ENV");
  if (const char* chosen = envValue(env, envVar.c_str())) {
    if (c.environments.count(chosen) == 0)
      throw ConfigError(source, envVar + " (environment)", "one of " + environmentNames(c.environments),
                        jsonText(chosen));
    c.active = chosen;
  } else if (c.environments.count(c.active) == 0) {
    active.fail("one of " + environmentNames(c.environments));
  }
  c.endpoints = c.environments.at(c.active);

  const JsonNode entry = root.child("order_entry", "\"rest\" or \"ws_api\"");
  const std::string entryName = entry.asString();
  if (entryName == "rest") c.order_entry = OrderEntry::Rest;
  else if (entryName == "ws_api") c.order_entry = OrderEntry::WsApi;
  else entry.fail("\"rest\" or \"ws_api\"");
  // Every environment must support the order entry, not only the active one: switching
  // environments with HFT_<VENUE>_ENV must not meet the problem at the first order.
  if (c.order_entry == OrderEntry::WsApi)
    for (const auto& [name, ep] : c.environments)
      if (ep.ws_api_url.empty())
        throw ConfigError(source, "environments." + name + ".ws_api_url",
                          std::string(kWsUrl) + " (order_entry is \"ws_api\")", "nothing (the key is missing)");

  if (root.has("reconnect")) c.reconnect = readReconnect(root.child("reconnect", ""));
  if (root.has("rate_limits")) c.rate_limits = readRateLimits(root.child("rate_limits", ""));

  if (const char* v = envValue(env, envName(c.venue, "REST_URL").c_str()))
    c.endpoints.rest_url = overrideUrl(source, envName(c.venue, "REST_URL"), v, false);
  if (const char* v = envValue(env, envName(c.venue, "WS_URL").c_str()))
    c.endpoints.ws_url = overrideUrl(source, envName(c.venue, "WS_URL"), v, true);
  if (const char* v = envValue(env, envName(c.venue, "WS_API_URL").c_str()))
    c.endpoints.ws_api_url = overrideUrl(source, envName(c.venue, "WS_API_URL"), v, true);
  return c;
}

void registerExchangeFiles(const std::string& exchangesDir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(exchangesDir, ec)) return;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(exchangesDir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());  // the same order, so the same first error, every run
  // Only the identity is read here, and a file that is wrong in any way is passed over: the
  // instruments must not fail for a bad URL in some venue file. ExchangeConfig::loadFile (the
  // ConfigSet check, the venue's gateway) reports every error of it, naming file and key.
  for (const std::string& f : files) {
    try {
      const nlohmann::json j = readJsonFile(f);
      const JsonNode root(j, f);
      if (!root.has("venue") || !j["venue"].is_string()) continue;
      ExchangeConfig c;
      c.venue = j["venue"].get<std::string>();
      readIdentity(root, root.child("venue", kVenueNames), c);
    } catch (const ConfigError&) {
    }
  }
}

}  // namespace hft::config
