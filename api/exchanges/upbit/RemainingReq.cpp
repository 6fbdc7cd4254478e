#include "api/exchanges/upbit/RemainingReq.h"

#include <cstring>

namespace hft::api::upbit {

const char* toString(HeaderStatus s) noexcept {
  switch (s) {
    case HeaderStatus::Ok: return "ok";
    case HeaderStatus::MissingGroup: return "no group=";
    case HeaderStatus::MissingSec: return "no sec=";
    case HeaderStatus::BadNumber: return "min= or sec= is not a non-negative integer";
    case HeaderStatus::BadSyntax: return "item without key=value";
  }
  return "unknown";
}

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parseCount(std::string_view s, int64_t& out) noexcept {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

constexpr int64_t kNsPerSec = 1'000'000'000;

}  // namespace

HeaderStatus parseRemainingReq(std::string_view value, RemainingReq& out, size_t& errorOffset) noexcept {
  out = RemainingReq{};
  errorOffset = 0;
  bool haveGroup = false;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t end = value.find(';', pos);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view item = trim(value.substr(pos, end - pos));
    if (!item.empty()) {
      const size_t itemOffset = static_cast<size_t>(item.data() - value.data());
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        errorOffset = itemOffset;
        return HeaderStatus::BadSyntax;
      }
      const std::string_view key = trim(item.substr(0, eq)), val = trim(item.substr(eq + 1));
      if (key == "group") {
        out.group = val;
        haveGroup = !val.empty();
      } else if (key == "min" || key == "sec") {
        if (!parseCount(val, key == "min" ? out.min : out.sec)) {
          errorOffset = itemOffset;
          return HeaderStatus::BadNumber;
        }
      }  // other keys: ignored (the venue may add some)
    }
    pos = end + 1;
  }
  if (!haveGroup) return HeaderStatus::MissingGroup;
  if (out.sec < 0) return HeaderStatus::MissingSec;
  return HeaderStatus::Ok;
}

RemainingReqTracker::Group* RemainingReqTracker::find(std::string_view group) noexcept {
  for (size_t i = 0; i < groupCount_; ++i)
    if (std::string_view(groups_[i].name, groups_[i].nameLen) == group) return &groups_[i];
  return nullptr;
}

const RemainingReqTracker::Group* RemainingReqTracker::find(std::string_view group) const noexcept {
  for (size_t i = 0; i < groupCount_; ++i)
    if (std::string_view(groups_[i].name, groups_[i].nameLen) == group) return &groups_[i];
  return nullptr;
}

bool RemainingReqTracker::onHeader(std::string_view value, common::TimestampNs nowNs) noexcept {
  RemainingReq r;
  size_t off = 0;
  if (parseRemainingReq(value, r, off) != HeaderStatus::Ok || r.group.size() > kMaxGroupName) return false;
  Group* g = find(r.group);
  if (g == nullptr) {
    if (groupCount_ == kMaxGroups) return false;
    g = &groups_[groupCount_++];
    std::memcpy(g->name, r.group.data(), r.group.size());
    g->nameLen = static_cast<uint8_t>(r.group.size());
    g->second = -1;
  }
  const int64_t second = nowNs / kNsPerSec;
  // Within one second, responses can arrive out of order: keep the smallest remaining count.
  if (g->second != second || r.sec < g->left) g->left = r.sec;
  g->second = second;
  return true;
}

void RemainingReqTracker::onHttpStatus(int status, common::TimestampNs nowNs, common::TimestampNs backoffNs) noexcept {
  if (status == 429 || status == 418) {
    const common::TimestampNs until = nowNs + backoffNs;
    if (until > blockedUntil_) blockedUntil_ = until;
  }
}

bool RemainingReqTracker::maySend(std::string_view group, common::TimestampNs nowNs) const noexcept {
  if (nowNs < blockedUntil_) return false;
  const Group* g = find(group);
  return g == nullptr || g->second != nowNs / kNsPerSec || g->left > 0;
}

void RemainingReqTracker::onSent(std::string_view group, common::TimestampNs nowNs) noexcept {
  Group* g = find(group);
  if (g != nullptr && g->second == nowNs / kNsPerSec && g->left > 0) --g->left;
}

int64_t RemainingReqTracker::remaining(std::string_view group, common::TimestampNs nowNs) const noexcept {
  const Group* g = find(group);
  return g != nullptr && g->second == nowNs / kNsPerSec ? g->left : -1;
}

}  // namespace hft::api::upbit
