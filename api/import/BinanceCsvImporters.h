#pragma once
// Importers of Binance's public historical CSVs (data.binance.vision, binance/binance-public-data),
// plain or gzip. Formats (`recording import --format`), columns in file order:
//
//   binance-trades-csv      id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]  -> Trade
//   binance-aggtrades-csv   agg_trade_id, price, quantity, first_trade_id, last_trade_id,
//                           transact_time, is_buyer_maker[, is_best_match]                     -> Trade
//   binance-bookticker-csv  update_id, best_bid_price, best_bid_qty, best_ask_price, best_ask_qty,
//                           transaction_time, event_time                                       -> BestBidOffer
//   binance-klines-csv      open_time, open, high, low, close, volume, close_time, quote_volume,
//                           count, taker_buy_volume, taker_buy_quote_volume, ignore            -> Bar
//   binance-futures-book-csv symbol, timestamp, first_update_id, last_update_id, side,
//                           update_type, price, qty, pu                                        -> BookDelta
//
// Contract common to all:
// * A header line is optional (Binance added headers to some files later): a first line with no
//   numeric field is skipped. Columns are read by position.
// * Timestamps are ms, except spot files from 2025-01-01 on, which are µs: the unit is told by
//   magnitude (epochUnitNs in CsvRow.h). exchange_ts_ns is the row's time (trades: time;
//   bookTicker: transaction_time; klines: close_time); the files have no receive time, so
//   receive_ts_ns = exchange_ts_ns.
// * Prices and quantities are read at the instrument's scales; more decimals -> ImportError.
// * Trades: aggressor Sell when is_buyer_maker is true (the taker sold), else Buy; trade_id is
//   the row's id (the agg id for aggTrades). BookTicker: update_id -> BestBidOffer.update_id.
// * Klines: interval_ns = close_time - open_time + one time unit (Binance's close_time is the
//   last ms/µs of the bar); quote_volume at kAmountScale; taker_buy_quote_volume is not kept.
//
// Instrument (all but binance-futures-book-csv, whose rows name the symbol): the symbol is the
// file name up to its first '-', as data.binance.vision names files
// (BTCUSDT-trades-2024-01-01.csv[.gz], ADABTC-1m-2021-11-27.csv, BTCUSDT-bookTicker-...csv).
// The market cannot be read from the file, so it is taken, in this order, from:
//   1. the path's directories, as data.binance.vision lays them out: a directory named `spot` ->
//      binance; `futures` or `um` -> binance_futures; `cm` (COIN-M) -> ImportError (not supported);
//      both spot and futures/um -> ImportError (ambiguous);
//   2. the format, when only one market publishes it: bookTicker -> binance_futures;
//   3. the registry: binance (spot) if it lists the symbol there, else binance_futures if it lists
//      it there, else ImportError (unknown symbol).
// When rule 3 decides, a note in stats says so (a file of futures trades outside a futures/ or um/
// directory would otherwise be read as spot when both markets list the symbol).
//
// binance-futures-book-csv (USD-M only, always binance_futures): consecutive `snap` rows with the
// same last_update_id are one snapshot -> a BookDelta chain flagged kClearBook (first piece) |
// kFromSnapshot (every piece), update ids from the rows, prev_update_id 0 (pu is -1). Consecutive
// `set` rows with the same last_update_id are one depthUpdate -> a BookDelta chain with
// first/last/prev = first_update_id/last_update_id/pu. Side b -> Buy, a -> Sell; qty is the
// level's new absolute size (0 removes it). Chains split at BookDelta::kMaxLevels.
//
// .zip files (as downloaded) are refused with a message: unzip first.
#include <memory>
#include <vector>

#include "api/import/IImporter.h"

namespace hft::api {

/// The five importers above, in the order listed.
std::vector<std::unique_ptr<IImporter>> makeBinanceCsvImporters();

}  // namespace hft::api
