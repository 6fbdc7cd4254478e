#pragma once
// One build/bin/exchange_simulator per test, started through tests/processes' Process with a
// venue descriptor's profile, on an ephemeral port, with throwaway loopback credentials; its
// control endpoints (/sim/fault, /sim/state) over SimHttp. Killed on destruction.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ConformanceVenue.h"
#include "ProcessRunner.h"
#include "SimHttp.h"

namespace hft::test::conformance {

class SimulatorUnderTest {
 public:
  /// Starts the simulator serving `symbols` with `eventsPerSecond` calm market actions; port()
  /// is 0 when it did not come up (output() says why).
  SimulatorUnderTest(const ConformanceVenue& venue, const std::vector<std::string>& symbols, int eventsPerSecond) {
    static std::atomic<int> counter{0};
    const std::string tag = std::to_string(getpid()) + "_" + std::to_string(counter++);
    dir_ = std::filesystem::temp_directory_path() / ("hft-conformance-" + venue.name + "-" + tag);
    std::filesystem::create_directories(dir_);
    endpoint_.api_key = "conformance-key-" + tag;      // a throwaway pair for loopback, never a real one
    endpoint_.api_secret = "conformance-secret-" + tag;
    std::ofstream(dir_ / "secret") << endpoint_.api_secret;
    std::filesystem::permissions(dir_ / "secret",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::string list;
    for (const auto& s : symbols) list.append(list.empty() ? "" : ",").append(s);
    std::vector<std::string> args = venue.simulator_args;
    for (const std::string& a : {std::string("--port"), std::string("0"), std::string("--instruments"),
                                 sourceFile("config/instruments.json"), std::string("--symbols"), list,
                                 std::string("--seed"), std::string("11"), std::string("--events-per-second"),
                                 std::to_string(eventsPerSecond), std::string("--api-key"), endpoint_.api_key,
                                 std::string("--api-secret-file"), (dir_ / "secret").string()})
      args.push_back(a);
    process_ = std::make_unique<Process>(bin("exchange_simulator"), args, (dir_ / "simulator.log").string());
    endpoint_.port = listeningPort(*process_);
  }
  ~SimulatorUnderTest() {
    process_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  SimulatorUnderTest(const SimulatorUnderTest&) = delete;
  SimulatorUnderTest& operator=(const SimulatorUnderTest&) = delete;

  const SimulatorEndpoint& endpoint() const { return endpoint_; }
  uint16_t port() const { return endpoint_.port; }
  std::string output() const { return process_->output(); }

  /// POST /sim/fault?`query` ("kind=disconnect", "kind=http5xx&placed=1"); the HTTP status.
  int fault(const std::string& query) const { return httpExchange(port(), "POST", "/sim/fault?" + query).status; }
  /// GET /sim/state, parsed (a discarded value when it did not parse).
  nlohmann::json state() const { return nlohmann::json::parse(http(port(), "GET", "/sim/state"), nullptr, false); }

 private:
  std::filesystem::path dir_;
  SimulatorEndpoint endpoint_;
  std::unique_ptr<Process> process_;
};

}  // namespace hft::test::conformance
