#include "common/CommandLine.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace hft::common {

const CommandLine::Option* CommandLine::find(const std::string& name) const {
  for (const auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

bool CommandLine::parse(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage().c_str(), stdout);
      return false;
    }
    if (arg.rfind("--", 0) != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool inlineValue = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inlineValue = true;
    }
    const Option* o = find(name);
    if (!o) throw std::invalid_argument("unknown option --" + name + "\n" + usage());
    if (o->takes_value && !inlineValue) {
      if (i + 1 >= argc) throw std::invalid_argument("option --" + name + " needs a value");
      value = argv[++i];
    } else if (!o->takes_value && inlineValue) {
      throw std::invalid_argument("option --" + name + " takes no value");
    }
    values_[name] = value;
  }
  return true;
}

std::string CommandLine::get(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  const Option* o = find(name);
  return o ? o->default_value : std::string();
}

int64_t CommandLine::getInt(const std::string& name) const {
  const std::string v = get(name);
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0') throw std::invalid_argument("option --" + name + ": expected a whole number, found \"" + v + "\"");
  return x;
}

double CommandLine::getDouble(const std::string& name) const {
  const std::string v = get(name);
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') throw std::invalid_argument("option --" + name + ": expected a number, found \"" + v + "\"");
  return x;
}

std::vector<std::string> CommandLine::getList(const std::string& name) const {
  std::vector<std::string> out;
  std::stringstream ss(get(name));
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string CommandLine::usage() const {
  std::string u = "usage: " + program_ + " [options]\n" + summary_ + "\n\noptions:\n";
  for (const auto& o : options_) {
    std::string left = "  --" + o.name + (o.takes_value ? " VALUE" : "");
    if (left.size() < 28) left.resize(28, ' ');
    u += left + " " + o.help;
    if (o.takes_value && !o.default_value.empty()) u += " (default: " + o.default_value + ")";
    u += "\n";
  }
  u += "  --help                       this text\n";
  return u;
}

}  // namespace hft::common
