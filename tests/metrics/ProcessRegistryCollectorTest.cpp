// The bus view (data_store/metrics/ProcessRegistryCollector.h) over a real registry segment.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/metrics/PrometheusText.h"
#include "data_store/BusNames.h"
#include "data_store/metrics/ProcessRegistryCollector.h"

using namespace hft;

TEST(ProcessRegistryCollector, exposesEachConsumersLagLossesAndLiveness) {
  const data_store::BusNames names{std::string("metrics").append(std::to_string(getpid()))};
  {
    data_store::ProcessRegistry registry(names.registry());
    auto& feed = registry.attach("datafeed:synthetic", data_store::ProcessRole::Datafeed, "", -1);
    auto& consumer = registry.attach("strategy_runner:mm", data_store::ProcessRole::StrategyRunner, "ring.md", -1);
    consumer.cursor.store(5);  // next to read: 5
    consumer.lost.store(2);
    consumer.processed.store(4);
    common::metrics::MetricsRegistry reg;
    data_store::metrics::addProcessRegistryCollector(reg, registry, [](const std::string& ring) -> uint64_t {
      return ring == "ring.md" ? 10 : 0;
    });
    const std::string text = common::metrics::renderPrometheusText(reg.snapshot());
    const std::string pid = std::to_string(getpid());
    auto line = [&](const char* metric, const char* value) {
      std::string l = metric;
      l.append("{process=\"strategy_runner:mm\",role=\"").append(toString(data_store::ProcessRole::StrategyRunner));
      l.append("\",pid=\"").append(pid).append("\",ring=\"ring.md\"} ").append(value).append("\n");
      return l;
    };
    EXPECT_NE(text.find(line("hft_bus_consumer_lag", "6")), std::string::npos) << text;
    EXPECT_NE(text.find(line("hft_bus_consumer_lost_total", "2")), std::string::npos) << text;
    EXPECT_NE(text.find(line("hft_bus_consumer_processed_total", "4")), std::string::npos) << text;
    EXPECT_NE(text.find(line("hft_bus_process_alive", "1")), std::string::npos) << text;
    EXPECT_NE(text.find("hft_bus_process_alive{process=\"datafeed:synthetic\""), std::string::npos) << text;
    // The producer reads no ring: no consumer series for it.
    EXPECT_EQ(text.find("hft_bus_consumer_lag{process=\"datafeed"), std::string::npos) << text;
    EXPECT_EQ(text.find("# TYPE hft_bus_consumer_lag gauge"), text.rfind("# TYPE hft_bus_consumer_lag gauge"));
    registry.detach(consumer);
    registry.detach(feed);
  }
  std::filesystem::remove(std::filesystem::path("/dev/shm") / names.registry());
}
