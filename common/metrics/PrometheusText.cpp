#include "common/metrics/PrometheusText.h"

#include <algorithm>

namespace hft::common::metrics {

const char* toString(MetricType t) noexcept {
  switch (t) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
  }
  return "untyped";
}

std::string formatDecimal(Decimal d) {
  const bool negative = d.raw < 0;
  // Magnitude as unsigned: -INT64_MIN does not fit an int64.
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(d.raw) : static_cast<uint64_t>(d.raw);
  std::string digits = std::to_string(mag);
  const auto scale = static_cast<size_t>(std::clamp(d.scale, 0, 18));
  if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
  std::string intPart = digits.substr(0, digits.size() - scale);
  std::string frac = digits.substr(digits.size() - scale);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out;
  if (negative && (mag != 0)) out.push_back('-');
  out.append(intPart);
  if (!frac.empty()) out.append(".").append(frac);
  return out;
}

FamilySnapshot& familyOf(std::vector<FamilySnapshot>& out, const std::string& name, const std::string& help,
                         MetricType type) {
  for (auto& f : out)
    if (f.name == name && f.type == type) return f;
  out.push_back({name, help, type, {}});
  return out.back();
}

void addSample(std::vector<FamilySnapshot>& out, const std::string& name, const std::string& help, MetricType type,
               Labels labels, Decimal value) {
  SeriesSnapshot s;
  s.labels = std::move(labels);
  s.value = value;
  familyOf(out, name, help, type).series.push_back(std::move(s));
}

std::string escapeLabelValue(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (const char c : v) {
    if (c == '\\') out.append("\\\\");
    else if (c == '"') out.append("\\\"");
    else if (c == '\n') out.append("\\n");
    else out.push_back(c);
  }
  return out;
}

std::string escapeHelp(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (const char c : v) {
    if (c == '\\') out.append("\\\\");
    else if (c == '\n') out.append("\\n");
    else out.push_back(c);
  }
  return out;
}

namespace {

void appendLabels(std::string& out, const Labels& labels, const std::string* le) {
  if (labels.empty() && !le) return;
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out.append(k).append("=\"").append(escapeLabelValue(v)).append("\"");
  }
  if (le) {
    if (!first) out.push_back(',');
    out.append("le=\"").append(*le).append("\"");
  }
  out.push_back('}');
}

void appendLine(std::string& out, const std::string& name, const char* suffix, const Labels& labels,
                const std::string* le, const std::string& value) {
  out.append(name).append(suffix);
  appendLabels(out, labels, le);
  out.push_back(' ');
  out.append(value).push_back('\n');
}

Labels sorted(Labels l) {
  std::sort(l.begin(), l.end());
  return l;
}

}  // namespace

std::string renderPrometheusText(const std::vector<FamilySnapshot>& families) {
  std::string out;
  std::vector<std::string> seenFamilies;
  for (const auto& f : families) {
    if (f.series.empty()) continue;
    // The same family twice (collectors): render the first only; never two TYPE lines.
    if (std::find(seenFamilies.begin(), seenFamilies.end(), f.name) != seenFamilies.end()) continue;
    seenFamilies.push_back(f.name);
    out.append("# HELP ").append(f.name).append(" ").append(escapeHelp(f.help)).push_back('\n');
    out.append("# TYPE ").append(f.name).append(" ").append(toString(f.type)).push_back('\n');
    std::vector<Labels> seen;
    for (const auto& s : f.series) {
      Labels key = sorted(s.labels);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(std::move(key));
      if (f.type != MetricType::Histogram) {
        appendLine(out, f.name, "", s.labels, nullptr, formatDecimal(s.value));
        continue;
      }
      for (const auto& b : s.buckets) {
        const std::string le = formatDecimal(b.upper_bound);
        appendLine(out, f.name, "_bucket", s.labels, &le, std::to_string(b.cumulative));
      }
      const std::string inf = "+Inf";
      appendLine(out, f.name, "_bucket", s.labels, &inf, std::to_string(s.count));
      appendLine(out, f.name, "_sum", s.labels, nullptr, formatDecimal(s.sum));
      appendLine(out, f.name, "_count", s.labels, nullptr, std::to_string(s.count));
    }
  }
  return out;
}

}  // namespace hft::common::metrics
