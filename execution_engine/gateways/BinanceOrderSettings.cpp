#include "execution_engine/gateways/BinanceOrderSettings.h"

#include "config/JsonNode.h"

namespace hft::execution_engine::gateways {

std::shared_ptr<const OrderGatewaySettings> readBinanceOrderSettings(const config::JsonNode& n, api::binance::Market market) {
  const bool futures = market == api::binance::Market::UsdM;
  n.expectObject({"kind", "local_stops", "order_entry", "recv_window_ms", "listen_key_keepalive_ms", "dual_side_position",
                  "symbols", "batch_orders"});
  auto b = std::make_shared<BinanceOrderSettings>();
  b->market = market;
  if (n.has("order_entry")) {
    const config::JsonNode e = n.child("order_entry", "");
    if (!e.json().is_string() || (e.asString() != "rest" && e.asString() != "ws_api")) e.fail("\"rest\" or \"ws_api\"");
    b->order_entry = e.asString();
  }
  b->recv_window_ms = n.optionalInt("recv_window_ms", 1, 60'000, b->recv_window_ms);
  b->listen_key_keepalive_ms = n.optionalInt("listen_key_keepalive_ms", 1'000, 59 * 60'000, b->listen_key_keepalive_ms);
  if (n.has("dual_side_position")) {
    if (!futures) n.child("dual_side_position", "").fail("nothing (a futures setting)");
    b->dual_side_position = n.optionalBool("dual_side_position", false) ? 1 : 0;
  }
  if (n.has("batch_orders")) {
    if (!futures) n.child("batch_orders", "").fail("nothing (a futures setting)");
    b->batch_orders = n.optionalBool("batch_orders", true);
  }
  if (n.has("symbols")) {
    const config::JsonNode syms = n.child("symbols", "");
    if (!futures) syms.fail("nothing (a futures setting)");
    for (const auto& [name, s] : syms.members()) {
      s.expectObject({"leverage", "margin_type"});
      FuturesSymbolConfig f;
      f.instrument = name;
      f.leverage = static_cast<int32_t>(s.optionalInt("leverage", 1, 125, 0));
      f.margin_type = s.optionalString("margin_type", "");
      if (!f.margin_type.empty() && f.margin_type != "isolated" && f.margin_type != "crossed")
        s.child("margin_type", "").fail("\"isolated\" or \"crossed\"");
      b->symbols.push_back(std::move(f));
    }
  }
  return b;
}

}  // namespace hft::execution_engine::gateways
