#pragma once
// Importer of raw Binance WebSocket captures (`recording import --format binance-ws-capture`),
// as written by hftbacktest's collector, plain or gzip. One message per line:
//
//   <local_receive_ns> <raw JSON as received>
//
// The JSON is a combined-stream frame {"stream":"btcusdt@trade","data":{...}} or a raw payload;
// a bare REST depth body {"lastUpdateId":...} is the snapshot the collector fetched. Spot and
// USD-M lines may be mixed: each is told apart by content (binance::MarketDataParser) and its
// symbol looked up on ExchangeId::Binance or BinanceFutures in the instrument registry.
//
//   line                    events, in file order                 header.exchange_ts_ns
//   trade, aggTrade         Trade (trade_id t / a; m=true -> Sell) E (T when E is absent)
//   bookTicker              BestBidOffer (update_id = u)          USD-M: E; spot: 0 (it has none)
//   depthUpdate             BookDelta chain once the book syncs   E
//   REST snapshot           BookDelta chain (kClearBook|kFromSnapshot), BookSnapshot (top 10),
//                           then the buffered diffs it releases   USD-M: E; spot: 0
//
// Depth follows Binance's local-order-book procedure (binance::BookSync): diffs are held until a
// snapshot brackets them; a break in the update ids emits a Gap (FeedSequenceGap) and the book
// waits for the next snapshot in the file. A snapshot names no symbol: it belongs to the one
// book of its market waiting for a snapshot (a capture holds one symbol per depth stream).
// header.receive_ts_ns is the line's prefix; diffs released by a snapshot carry the snapshot's.
// A receive time earlier than the exchange time (the collector's clock behind the venue's) is
// kept as recorded and counted in stats.clock_skew_lines.
//
// Errors (ImportError naming file:line): no space after the prefix, a prefix that is not an
// integer, invalid JSON, a missing field or a bad number (naming the field), an unknown symbol
// (naming it and config/instruments.json). Other streams (markPrice, kline, control replies)
// are counted in stats.skipped with one note per stream.
#include <memory>
#include <string>

#include "api/import/IImporter.h"

namespace hft::api {

class BinanceWsCaptureImporter final : public IImporter {
 public:
  std::string name() const override { return "binance-ws-capture"; }
  std::string description() const override;
  void importFile(const std::string& path, ImportContext& ctx) override;
};

std::unique_ptr<IImporter> makeBinanceWsCaptureImporter();

}  // namespace hft::api
