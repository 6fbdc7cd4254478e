#pragma once
// Importers of Tardis.dev normalized CSV datasets (https://docs.tardis.dev/downloadable-csv-files),
// plain or gzip. Every file starts with a header, and columns are found by name:
//
//   tardis-trades          exchange, symbol, timestamp, local_timestamp, id, side, price, amount -> Trade
//   tardis-quotes          ..., ask_amount, ask_price, bid_price, bid_amount                     -> BestBidOffer
//   tardis-book-snapshot   ..., asks[i].price, asks[i].amount, bids[i].price, bids[i].amount
//                          (book_snapshot_5 / _25 / any depth)            -> BookDelta chain + BookSnapshot
//   tardis-incremental-l2  ..., is_snapshot, side, price, amount                                  -> BookDelta
//
// Contract common to all:
// * `timestamp` is the exchange's time -> exchange_ts_ns, `local_timestamp` the capture time ->
//   receive_ts_ns; both µs since the epoch. A capture time earlier than the exchange time is kept
//   as is and counted in stats.clock_skew_lines.
// * `exchange`: binance -> binance, binance-futures -> binance_futures, upbit, bithumb; any other
//   -> ImportError "exchange '<name>' is not supported by this system". `symbol` is looked up as
//   the venue spells it (exactly, then upper-cased); unknown -> ImportError.
// * Prices and amounts at the instrument's scales; more decimals -> ImportError (never rounded).
//   Exponent notation ("1.5e-7") is read exactly.
// * Events are emitted in file order; one file may mix instruments.
//
// Per format:
// * trades: `side` is the taker side (buy/sell; unknown -> Side::None). `id` -> trade_id when it is
//   a decimal integer; other ids (BitMEX UUIDs) give trade_id 0, with one note per file.
// * quotes: an empty side (no bid / no ask) gives price 0 and qty 0; update_id 0.
// * book snapshot: the depth is read from the header. Each row is the full top of book, so it
//   gives (1) a BookDelta chain of every non-empty level, asks[i] then bids[i] for i = 0.., flagged
//   kClearBook (first piece) | kFromSnapshot (every piece), because book consumers build from
//   deltas; then (2) a BookSnapshot of the best BookSnapshot::kDepth levels per side. Update ids 0.
// * incremental L2: consecutive is_snapshot=true rows with the same timestamp and local_timestamp
//   are a full book replacing the local one -> a BookDelta chain flagged kClearBook (first piece)
//   | kFromSnapshot; other rows are grouped by (timestamp, local_timestamp), consecutive -> one
//   BookDelta chain each. `side` bid -> Buy, ask -> Sell; `amount` is the level's new absolute size
//   (0 removes it). Update ids 0 (Tardis has none).
#include <memory>
#include <vector>

#include "api/import/IImporter.h"

namespace hft::api {

/// The four importers above, in the order listed.
std::vector<std::unique_ptr<IImporter>> makeTardisCsvImporters();

}  // namespace hft::api
