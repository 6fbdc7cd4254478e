#pragma once
// common::OrderRequest -> an Upbit (or Bithumb 2.x, same shape: see Dialect.h) order-entry
// request: method, path and the parameters (shared::QueryParams renders them as the query
// string, the JSON body, and the string the JWT query_hash covers).
//
//   our request                  venue (Upbit names; Bithumb: client_order_id for identifier)
//   New Limit GTC                POST /v1/orders  market, side bid|ask, volume, price, ord_type=limit, identifier
//   New Limit IOC / FOK          ... ord_type=limit, time_in_force=ioc|fok
//   New Limit PostOnly           ... ord_type=limit, time_in_force=post_only
//   New Market Sell              ... ord_type=market, volume (no price)
//   New Market Buy               Unsupported: the venue buys "at market" by quote amount
//                                (ord_type=price), not by quantity; send a marketable IOC limit,
//                                or encodeMarketBuyByAmount() when an amount is what you mean
//   stop / take-profit, reduce_only, hedge-mode position sides: Unsupported (spot venues)
//   Cancel                       DELETE /v1/order?identifier=<orig_client_order_id>   (or ?uuid=)
//   Modify                       Unsupported here (cancel, then new: the venues' cancel-and-new
//                                endpoint is not implemented)
//   query                        GET /v1/order?identifier=<id>   (or ?uuid=)
//   open orders                  GET /v1/orders/open?market=..&states[]=wait&states[]=watch&limit=N
//
// Decimals are written from fixed point as the shortest exact text ("0.001", "50000000"),
// never through double. The price is checked against the instrument's tick grid: the
// price-band table when one is given (KRW markets: the tick depends on the price), else the
// instrument's fixed tick_size; the quantity against lot_size.
#include <cstdint>
#include <string_view>

#include "api/exchanges/shared/QueryParams.h"
#include "api/exchanges/shared/TickBands.h"
#include "api/exchanges/upbit/Dialect.h"
#include "common/OrderEnums.h"
#include "common/events/OrderRequest.h"
#include "config/InstrumentRegistry.h"

namespace hft::api::upbit {

enum class HttpMethod : uint8_t { Get = 1, Post = 2, Delete = 3 };
const char* toString(HttpMethod m) noexcept;

/// Where an encoded request goes. POST sends params.renderJson() as the body; GET and DELETE
/// send path + "?" + params.renderQuery(). Every method hashes params.renderQuery() for the JWT.
struct Endpoint {
  HttpMethod method = HttpMethod::Get;
  std::string_view path;
  std::string_view rateGroup;  ///< Remaining-Req group the request counts against ("order", "default")
};

enum class EncodeStatus : uint8_t {
  Ok = 0,
  InvalidQuantity = 1,  ///< qty <= 0
  InvalidPrice = 2,     ///< price <= 0 on a limit order, or a price on a market sell
  OffTick = 3,          ///< the price is not on the instrument's tick grid
  OffLot = 4,           ///< the quantity is not a multiple of lot_size
  InvalidEnum = 5,      ///< action, side, type or time in force outside its enum
  Unsupported = 6,      ///< valid, but not on these venues (see the table above)
  MissingOrderId = 7,   ///< client_order_id (cancel: orig_client_order_id) is 0
  WrongInstrument = 8,  ///< the instrument is not on this venue, or not the request's
  TooLarge = 9,         ///< did not fit the QueryParams
  BadUuid = 10,         ///< a uuid that is empty, too long or not URL-safe
};
const char* toString(EncodeStatus s) noexcept;
common::RejectReason toRejectReason(EncodeStatus s) noexcept;

class OrderEncoder {
 public:
  /// `tickBands` (may be empty: then instrument.tick_size alone) must outlive the encoder. The
  /// tables depend on the quote market (TickTables.h): one encoder per quote market.
  explicit OrderEncoder(const Dialect& dialect, shared::TickBands tickBands = {}) noexcept
      : dialect_(dialect), bands_(tickBands) {}

  /// Dispatches on request.action. `out` is cleared first.
  [[nodiscard]] EncodeStatus encode(const common::OrderRequest& request, const config::Instrument& instrument,
                                    shared::QueryParams& out, Endpoint& endpoint) const noexcept;
  [[nodiscard]] EncodeStatus encodeNew(const common::OrderRequest& request, const config::Instrument& instrument,
                                       shared::QueryParams& out, Endpoint& endpoint) const noexcept;
  /// Market buy spending `amount` (raw at the instrument's price scale: KRW on KRW markets).
  [[nodiscard]] EncodeStatus encodeMarketBuyByAmount(const common::OrderRequest& request, int64_t amount,
                                                     const config::Instrument& instrument, shared::QueryParams& out,
                                                     Endpoint& endpoint) const noexcept;
  /// Cancels request.orig_client_order_id.
  [[nodiscard]] EncodeStatus encodeCancel(const common::OrderRequest& request, const config::Instrument& instrument,
                                          shared::QueryParams& out, Endpoint& endpoint) const noexcept;
  [[nodiscard]] EncodeStatus encodeCancelByUuid(std::string_view uuid, shared::QueryParams& out,
                                                Endpoint& endpoint) const noexcept;
  [[nodiscard]] EncodeStatus encodeQuery(common::ClientOrderId id, shared::QueryParams& out,
                                         Endpoint& endpoint) const noexcept;
  [[nodiscard]] EncodeStatus encodeQueryByUuid(std::string_view uuid, shared::QueryParams& out,
                                               Endpoint& endpoint) const noexcept;
  /// Open (waiting, and on Upbit reserved) orders of one market; limit 1..100 (0 = venue default).
  [[nodiscard]] EncodeStatus encodeOpenOrders(const config::Instrument& instrument, uint32_t limit,
                                              shared::QueryParams& out, Endpoint& endpoint) const noexcept;

  const Dialect& dialect() const noexcept { return dialect_; }

 private:
  EncodeStatus checkCommon(const common::OrderRequest& r, const config::Instrument& inst) const noexcept;
  EncodeStatus checkPrice(int64_t price, const config::Instrument& inst) const noexcept;

  const Dialect& dialect_;
  shared::TickBands bands_;
};

}  // namespace hft::api::upbit
