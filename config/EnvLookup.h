#pragma once
// How the loaders read environment variables: through a function, so that tests can hand in a
// map instead of mutating the process environment, and so that a secret's value is read in
// place (a pointer into the environment block) rather than copied into a std::string.
#include <cstdlib>
#include <functional>

namespace hft::config {

/// Returns the variable's value, or nullptr when it is unset. A variable that is set but empty
/// counts as unset everywhere in config/ (an `export HFT_X=` must not blank a URL).
using EnvLookup = std::function<const char*(const char* name)>;

/// The process environment (std::getenv). Start-up only: getenv is not thread-safe against setenv.
inline EnvLookup processEnvironment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

/// The value of `name` when set and non-empty, else nullptr. An empty `env` reads nothing.
inline const char* envValue(const EnvLookup& env, const char* name) {
  if (!env) return nullptr;
  const char* v = env(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

}  // namespace hft::config
