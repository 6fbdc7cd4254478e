#include "config/ConfigSet.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "config/JsonNode.h"

namespace hft::config {

namespace {

namespace fs = std::filesystem;

/// The *.json files of `dir`, sorted; none when the folder does not exist.
std::vector<std::string> jsonFiles(const fs::path& dir, std::vector<ConfigError>& errors) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) out.push_back(it->path().string());
  if (ec) errors.emplace_back(dir.string(), "cannot list the folder: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

/// Runs one loader, turning what it throws into an entry of `errors`. Loaders throw
/// ConfigError; anything else (a validator from another library) is wrapped with the file name.
template <class F>
void collect(const std::string& file, std::vector<ConfigError>& errors, F&& load) {
  try {
    load();
  } catch (const ConfigError& e) {
    errors.push_back(e);
  } catch (const std::exception& e) {
    errors.emplace_back(file, e.what());
  }
}

}  // namespace

std::string ConfigSet::exchangesDir(const std::string& systemFile) {
  return (fs::path(systemFile).parent_path() / "exchanges").string();
}

ConfigSet ConfigSet::load(const std::string& systemFile, const ConfigSetOptions& options) {
  ConfigSet set;
  const fs::path base = fs::path(systemFile).parent_path();
  set.dir = base.empty() ? std::string(".") : base.string();
  const fs::path dir(set.dir);

  collect(systemFile, set.errors, [&] { set.system = SystemConfig::loadFile(systemFile); });
  if (set.system)
    collect(set.system->instruments_file, set.errors,
            [&] { set.instruments = InstrumentRegistry::loadFile(set.system->instruments_file); });

  for (const std::string& file : jsonFiles(dir / "exchanges", set.errors)) {
    collect(file, set.errors, [&] {
      ExchangeConfig ex = ExchangeConfig::loadFile(file, options.env);
      // The daemons find a venue's file by name: binance.json must describe binance.
      const std::string stem = fs::path(file).stem().string();
      if (ex.venue != stem)
        throw ConfigError(file, "venue", "\"" + stem + "\" (the file name)", "\"" + ex.venue + "\"");
      set.exchanges.emplace(stem, std::move(ex));
    });
  }
  for (const std::string& file : jsonFiles(dir / "tick_rules", set.errors))
    collect(file, set.errors, [&] { set.tickRules.emplace(fs::path(file).stem().string(), TickRules::loadFile(file)); });

  // Order rules and strategies name instruments: without a registry they can only be parsed.
  const auto checkAll = [&](const char* sub, const FileValidator& validator, std::vector<std::string>& checked) {
    for (const std::string& file : jsonFiles(dir / sub, set.errors)) {
      checked.push_back(file);
      collect(file, set.errors, [&] {
        if (validator && set.instruments) validator(file, *set.instruments);
        else (void)readJsonFile(file);
      });
    }
  };
  checkAll("order_rules", options.orderRules, set.orderRuleFiles);
  checkAll("strategies", options.strategy, set.strategyFiles);
  return set;
}

}  // namespace hft::config
