#pragma once
// Names of a bus's shared-memory segments. A bus is a namespace ("main", "bt-42", a test's
// unique name) so several systems, or tests, can run side by side on one machine.
#include <string>

#include "common/Ids.h"

namespace hft::data_store {

struct BusNames {
  std::string bus;  ///< e.g. "main"

  std::string marketData() const { return "hft." + bus + ".md"; }
  std::string execReports() const { return "hft." + bus + ".exec"; }
  std::string registry() const { return "hft." + bus + ".registry"; }
  std::string orderQueue(common::StrategyId strategy) const {
    return "hft." + bus + ".orders." + std::to_string(strategy);
  }
  /// Every segment name of this bus starts with this (for cleanup tools).
  std::string prefix() const { return "hft." + bus + "."; }
};

}  // namespace hft::data_store
