#include "gateways/MarketDataSources.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace hft::gateways {

namespace {

// A function-local static: registrations run during static initialisation, in an order between
// translation units that nobody controls, so the table must exist before the first of them.
std::vector<MarketDataSource>& table() {
  static std::vector<MarketDataSource> sources;
  return sources;
}

}  // namespace

std::string MarketDataRequest::venueFile(std::string_view venue) const {
  std::filesystem::path p = std::filesystem::path(exchanges_dir) / venue;
  p += ".json";
  return std::filesystem::exists(p) ? p.string() : std::string();
}

bool registerMarketDataSource(const MarketDataSource& source) noexcept {
  if (source.name.empty() || source.make == nullptr || findMarketDataSource(source.name) != nullptr) {
    std::fprintf(stderr, "registerMarketDataSource: \"%.*s\" is empty, has no factory or is registered twice\n",
                 static_cast<int>(source.name.size()), source.name.data());
    std::abort();
  }
  table().push_back(source);
  return true;
}

const MarketDataSource* findMarketDataSource(std::string_view name) noexcept {
  for (const MarketDataSource& s : table())
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<MarketDataSource> marketDataSources() {
  std::vector<MarketDataSource> out = table();
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::string marketDataSourceNames() {
  std::string out;
  for (const MarketDataSource& s : marketDataSources()) {
    if (!out.empty()) out.append(", ");
    out.append(s.name);
  }
  return out;
}

}  // namespace hft::gateways
