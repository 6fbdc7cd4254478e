#pragma once
// Minimal command-line parsing for the daemons and tools: --name value, --name=value and
// boolean --flag. Unknown options and missing values are errors listing what is valid.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hft::common {

class CommandLine {
 public:
  struct Option {
    std::string name;   ///< without dashes
    std::string help;
    bool takes_value;
    std::string default_value;
  };

  CommandLine(std::string program, std::string summary) : program_(std::move(program)), summary_(std::move(summary)) {}

  CommandLine& flag(const std::string& name, const std::string& help) {
    options_.push_back({name, help, false, ""});
    return *this;
  }
  CommandLine& option(const std::string& name, const std::string& help, const std::string& def = "") {
    options_.push_back({name, help, true, def});
    return *this;
  }

  /// Parses argv; throws std::invalid_argument with a message naming the bad option.
  /// Returns false when --help was given (usage already printed).
  bool parse(int argc, char** argv);

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name) const;
  /// Integer value; throws naming the option when it is not a whole number.
  int64_t getInt(const std::string& name) const;
  double getDouble(const std::string& name) const;
  /// Comma-separated list.
  std::vector<std::string> getList(const std::string& name) const;
  /// Arguments that are not options.
  const std::vector<std::string>& positional() const { return positional_; }
  std::string usage() const;

 private:
  const Option* find(const std::string& name) const;
  std::string program_, summary_;
  std::vector<Option> options_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace hft::common
