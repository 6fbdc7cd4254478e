#include "api/exchanges/binance/RequestSigner.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/FixedPoint.h"

namespace hft::api::binance {

// ---------------------------------------------------------------------------------------------
// ParamList

bool ParamList::store(std::string_view s, uint16_t& off, uint16_t& len) noexcept {
  if (s.size() > kArenaBytes - used_) return false;
  std::memcpy(arena_ + used_, s.data(), s.size());
  off = used_;
  len = static_cast<uint16_t>(s.size());
  used_ = static_cast<uint16_t>(used_ + s.size());
  return true;
}

bool ParamList::add(std::string_view key, std::string_view value) noexcept {
  if (overflowed_) return false;
  const uint16_t mark = used_;
  Entry& e = entries_[count_ < kMaxParams ? count_ : 0];
  if (count_ == kMaxParams || !store(key, e.keyOff, e.keyLen) || !store(value, e.valueOff, e.valueLen)) {
    used_ = mark;
    overflowed_ = true;
    return false;
  }
  ++count_;
  return true;
}

bool ParamList::addUint(std::string_view key, uint64_t value) noexcept {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return add(key, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

bool ParamList::addInt(std::string_view key, int64_t value) noexcept {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return add(key, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

bool ParamList::addDecimal(std::string_view key, int64_t raw, int scale) noexcept {
  char buf[48];
  const size_t n = formatVenueDecimal(raw, scale, buf);
  if (n == 0) {
    overflowed_ = true;  // a bad scale leaves the request incomplete, like an overflow
    return false;
  }
  return add(key, std::string_view(buf, n));
}

std::string_view ParamList::find(std::string_view key) const noexcept {
  for (size_t i = 0; i < count_; ++i)
    if (this->key(i) == key) return value(i);
  return {};
}

size_t formatVenueDecimal(int64_t raw, int scale, std::span<char> out) noexcept {
  char buf[48];
  size_t n = common::formatDecimal(raw, scale, buf, sizeof buf);
  if (n == 0) return 0;
  // formatDecimal writes every decimal of the scale; the venue counts trailing zeros against
  // the symbol's precision on some endpoints (USD-M -1111), so they go.
  if (scale > 0) {
    while (buf[n - 1] == '0') --n;
    if (buf[n - 1] == '.') --n;
  }
  if (n > out.size()) return 0;
  std::memcpy(out.data(), buf, n);
  return n;
}

// ---------------------------------------------------------------------------------------------
// RequestSigner

const char* toString(SignStatus s) noexcept {
  switch (s) {
    case SignStatus::Ok: return "ok";
    case SignStatus::BufferTooSmall: return "output buffer too small";
    case SignStatus::ParamsOverflowed: return "parameter list overflowed";
    case SignStatus::TooManyParams: return "too many parameters";
    case SignStatus::CryptoError: return "OpenSSL error";
  }
  return "unknown";
}

namespace {

/// Bounded writer into the caller's buffer; `ok` goes false on the first write that does not fit.
struct Writer {
  char* p;
  size_t cap;
  size_t n = 0;
  bool ok = true;

  void put(char c) noexcept {
    if (n < cap) p[n++] = c;
    else ok = false;
  }
  void put(std::string_view s) noexcept {
    if (s.size() <= cap - n) {
      std::memcpy(p + n, s.data(), s.size());
      n += s.size();
    } else {
      ok = false;
    }
  }
  void putInt(int64_t v) noexcept {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    put(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }
  /// RFC 3986 percent-encoding: everything but ALPHA / DIGIT / "-" / "." / "_" / "~", upper-case
  /// hex, UTF-8 bytes as they are (the venue's non-ASCII test vector is signed this way).
  void putEncoded(std::string_view s) noexcept {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '.' || c == '_' || c == '~';
      if (plain) {
        put(ch);
      } else {
        put('%');
        put(kHex[c >> 4]);
        put(kHex[c & 0x0f]);
      }
    }
  }
  std::string_view view(size_t from = 0) const noexcept { return {p + from, n - from}; }
};

constexpr std::string_view kSignatureKey = "&signature=";

}  // namespace

RequestSigner::RequestSigner(std::string_view apiKey, std::string_view secret, int64_t recvWindowMs)
    : hmac_(secret), recvWindowMs_(recvWindowMs) {
  if (apiKey.empty() || apiKey.size() > kMaxApiKeyBytes)
    throw std::invalid_argument("RequestSigner: the API key must be 1.." + std::to_string(kMaxApiKeyBytes) + " bytes");
  if (recvWindowMs < 0 || recvWindowMs > 60000)
    throw std::invalid_argument("RequestSigner: recvWindow must be 0..60000 ms (0 = not sent), got " +
                                std::to_string(recvWindowMs));
  std::memcpy(apiKey_, apiKey.data(), apiKey.size());
  apiKeyBytes_ = apiKey.size();
}

SignStatus RequestSigner::signRest(const ParamList& params, int64_t timestampMs, std::span<char> out,
                                   SignedRequest& result) noexcept {
  if (params.overflowed()) return SignStatus::ParamsOverflowed;
  Writer w{out.data(), out.size()};
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) w.put('&');
    w.putEncoded(params.key(i));
    w.put('=');
    w.putEncoded(params.value(i));
  }
  if (recvWindowMs_ > 0) {
    if (w.n > 0) w.put('&');
    w.put("recvWindow=");
    w.putInt(recvWindowMs_);
  }
  if (w.n > 0) w.put('&');
  w.put("timestamp=");
  w.putInt(timestampMs);
  const size_t payloadBytes = w.n;
  w.put(kSignatureKey);
  if (!w.ok || w.cap - w.n < HmacSigner::kHexChars) return SignStatus::BufferTooSmall;
  if (!hmac_.signHex(std::string_view(out.data(), payloadBytes), out.subspan(w.n).first<HmacSigner::kHexChars>()))
    return SignStatus::CryptoError;
  const size_t sigAt = w.n;
  w.n += HmacSigner::kHexChars;
  result.text = w.view();
  result.signature = w.view(sigAt);
  result.timestampMs = timestampMs;
  return SignStatus::Ok;
}

SignStatus RequestSigner::signWsApi(const ParamList& params, int64_t timestampMs, std::span<char> out,
                                    SignedRequest& result) noexcept {
  if (params.overflowed()) return SignStatus::ParamsOverflowed;
  struct Pair {
    std::string_view key, value;
  };
  Pair pairs[ParamList::kMaxParams + 3];
  size_t n = 0;
  for (size_t i = 0; i < params.size(); ++i) pairs[n++] = {params.key(i), params.value(i)};
  char recvBuf[24], tsBuf[24];
  pairs[n++] = {"apiKey", apiKey()};
  if (recvWindowMs_ > 0) {
    const auto r = std::to_chars(recvBuf, recvBuf + sizeof recvBuf, recvWindowMs_);
    pairs[n++] = {"recvWindow", std::string_view(recvBuf, static_cast<size_t>(r.ptr - recvBuf))};
  }
  const auto r = std::to_chars(tsBuf, tsBuf + sizeof tsBuf, timestampMs);
  pairs[n++] = {"timestamp", std::string_view(tsBuf, static_cast<size_t>(r.ptr - tsBuf))};
  // Insertion sort: a dozen entries; string_view compares bytes, which is the venue's order.
  for (size_t i = 1; i < n; ++i)
    for (size_t j = i; j > 0 && pairs[j].key < pairs[j - 1].key; --j) std::swap(pairs[j], pairs[j - 1]);

  Writer w{out.data(), out.size()};
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) w.put('&');
    w.put(pairs[i].key);
    w.put('=');
    w.put(pairs[i].value);
  }
  const size_t payloadBytes = w.n;
  if (!w.ok || w.cap - w.n < HmacSigner::kHexChars) return SignStatus::BufferTooSmall;
  if (!hmac_.signHex(std::string_view(out.data(), payloadBytes), out.subspan(w.n).first<HmacSigner::kHexChars>()))
    return SignStatus::CryptoError;
  result.text = std::string_view(out.data(), payloadBytes);
  result.signature = std::string_view(out.data() + payloadBytes, HmacSigner::kHexChars);
  result.timestampMs = timestampMs;
  return SignStatus::Ok;
}

// ---------------------------------------------------------------------------------------------
// ServerTimeOffset

namespace {
constexpr int64_t kNsPerMs = 1'000'000;
constexpr int32_t kTimestampOutsideRecvWindow = -1021;
}  // namespace

bool ServerTimeOffset::onServerTime(int64_t serverTimeMs, common::TimestampNs sentNs,
                                    common::TimestampNs receivedNs) noexcept {
  if (receivedNs < sentNs || receivedNs - sentNs > config_.maxRoundTripNs) return false;
  if (serverTimeMs < 0 || serverTimeMs > std::numeric_limits<int64_t>::max() / kNsPerMs) return false;
  // serverTime was stamped in [sent, received] and truncated to the ms: serverTime at our
  // receive time is a lower bound of the venue's clock then (see the class comment).
  offsetNs_ = serverTimeMs * kNsPerMs - receivedNs;
  roundTripNs_ = receivedNs - sentNs;
  synced_ = true;
  needsResync_ = false;
  return true;
}

int64_t ServerTimeOffset::timestampMs(common::TimestampNs nowNs) const noexcept {
  const common::TimestampNs venueNs = nowNs + offsetNs_;
  // Floor division: truncating toward zero would round a (test-only) negative time up.
  return venueNs >= 0 ? venueNs / kNsPerMs : -((-venueNs + kNsPerMs - 1) / kNsPerMs);
}

ServerTimeOffset::Retry ServerTimeOffset::onRejected(int32_t code, uint32_t attempt) noexcept {
  if (code != kTimestampOutsideRecvWindow) return Retry::NotTimestampError;
  needsResync_ = true;
  return attempt <= config_.maxTimestampRetries ? Retry::ResyncThenRetry : Retry::GiveUp;
}

}  // namespace hft::api::binance
