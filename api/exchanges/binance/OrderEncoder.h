#pragma once
// common::OrderRequest -> the parameters of a Binance order-entry request (spot /api/v3, USD-M
// /fapi/v1), for RequestSigner to sign and a REST or WebSocket API client to send.
//
//   our request                         spot                                   USD-M
//   New  Market                         type=MARKET                            type=MARKET
//   New  Limit GTC/IOC/FOK              type=LIMIT timeInForce=..              type=LIMIT timeInForce=..
//   New  Limit PostOnly                 type=LIMIT_MAKER (no timeInForce)      type=LIMIT timeInForce=GTX
//   New  StopMarket / StopLimit         STOP_LOSS / STOP_LOSS_LIMIT +stopPrice Unsupported: the venue moved
//   New  TakeProfit                     TAKE_PROFIT +stopPrice                 conditional orders to its Algo
//                                                                              API (-4120 since 2025-12-09)
//   Cancel                              DELETE /api/v3/order                   DELETE /fapi/v1/order
//   Modify                              POST /api/v3/order/cancelReplace       PUT /fapi/v1/order (LIMIT only;
//                                       (new order gets client_order_id)       the order KEEPS its client id)
//   query (by client order id)          GET /api/v3/order                      GET /fapi/v1/order
//   batch: up to 5 New / 10 Cancel      -                                      POST / DELETE /fapi/v1/batchOrders
//
// Prices and quantities go from int64 fixed point (the instrument's scales) straight to the
// shortest exact decimal string; no floating point anywhere. Client order ids are the decimal
// string of the 64-bit id (at most 20 digits, inside the venue's ^[\.A-Z\:/a-z0-9_-]{1,36}$).
// Futures reduce_only is sent as reduceOnly=true in one-way mode; in hedge mode (position_side
// Long/Short) the venue refuses reduceOnly, and the side/positionSide pair already says whether
// the order closes: a closing pair drops the flag, an opening one is refused (Unsupported).
#include <cstdint>
#include <span>
#include <string_view>

#include "api/exchanges/binance/Market.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "common/OrderEnums.h"
#include "common/events/OrderRequest.h"
#include "config/InstrumentRegistry.h"

namespace hft::api::binance {

/// newOrderRespType: how much the venue says in the REST reply to a new order.
enum class OrderRespType : uint8_t {
  Ack = 1,     ///< ids and time only
  Result = 2,  ///< the order's state after matching
  Full = 3,    ///< Result plus every fill (spot only)
};

enum class HttpMethod : uint8_t { Get = 1, Post = 2, Put = 3, Delete = 4 };
const char* toString(HttpMethod m) noexcept;

/// Where an encoded request goes, and what it costs against the venue's limits (documented
/// request weights; RateLimitTracker::maySend takes them).
struct Endpoint {
  HttpMethod method = HttpMethod::Get;
  std::string_view path;      ///< "/api/v3/order"
  std::string_view wsMethod;  ///< WebSocket API method ("order.place"); "" when it has none
  uint16_t weight = 0;        ///< IP request weight
  uint16_t orders = 0;        ///< order-count units (X-MBX-ORDER-COUNT-*)
};

/// Why a request was not encoded. Nothing is sent then; toRejectReason() gives the strategy's code.
enum class EncodeStatus : uint8_t {
  Ok = 0,
  InvalidQuantity = 1,   ///< qty <= 0
  InvalidPrice = 2,      ///< price <= 0 on a priced order (or a price on a market order)
  InvalidStopPrice = 3,  ///< stop_price <= 0 on a stop/take-profit order
  InvalidEnum = 4,       ///< action, side, type, time in force or position side outside its enum
  Unsupported = 5,       ///< valid, but not on this market (see the table above)
  MissingOrderId = 6,    ///< client_order_id (or, for cancel/modify, orig_client_order_id) is 0
  WrongInstrument = 7,   ///< the instrument is not on this market, or not the request's
  TooLarge = 8,          ///< did not fit the ParamList
  BadBatchSize = 9,      ///< a batch of 0 or more than kMaxBatchOrders
};
const char* toString(EncodeStatus s) noexcept;
common::RejectReason toRejectReason(EncodeStatus s) noexcept;

class OrderEncoder {
 public:
  static constexpr size_t kMaxBatchOrders = 5;   ///< USD-M batchOrders: new orders per batch
  static constexpr size_t kMaxBatchCancels = 10; ///< USD-M origClientOrderIdList: ids per batch cancel

  /// Throws std::invalid_argument for Full on USD-M (the venue offers ACK and RESULT only).
  explicit OrderEncoder(Market market, OrderRespType respType = OrderRespType::Result);

  /// Dispatches on request.action (New, Cancel, Modify). `out` is cleared first.
  [[nodiscard]] EncodeStatus encode(const common::OrderRequest& request, const config::Instrument& instrument,
                                    ParamList& out, Endpoint& endpoint) const noexcept;
  [[nodiscard]] EncodeStatus encodeNew(const common::OrderRequest& request, const config::Instrument& instrument,
                                       ParamList& out, Endpoint& endpoint) const noexcept;
  /// Cancels request.orig_client_order_id; on spot, request.client_order_id (if not 0) names the cancel.
  [[nodiscard]] EncodeStatus encodeCancel(const common::OrderRequest& request, const config::Instrument& instrument,
                                          ParamList& out, Endpoint& endpoint) const noexcept;
  /// Replaces request.orig_client_order_id by the order the request describes.
  [[nodiscard]] EncodeStatus encodeModify(const common::OrderRequest& request, const config::Instrument& instrument,
                                          ParamList& out, Endpoint& endpoint) const noexcept;
  /// Queries the order whose client order id is `id`.
  [[nodiscard]] EncodeStatus encodeQuery(common::ClientOrderId id, const config::Instrument& instrument,
                                         ParamList& out, Endpoint& endpoint) const noexcept;
  /// USD-M only: up to kMaxBatchOrders New requests in one batchOrders JSON parameter;
  /// instruments[i] belongs to requests[i]. endpoint.orders is the number of orders; the venue
  /// counts a batch as 5 on its 10 s window and 1 on its minute window (the response headers
  /// correct RateLimitTracker either way).
  [[nodiscard]] EncodeStatus encodeBatchNew(std::span<const common::OrderRequest> requests,
                                            std::span<const config::Instrument* const> instruments, ParamList& out,
                                            Endpoint& endpoint) const noexcept;
  /// USD-M only: cancels up to kMaxBatchCancels orders of one symbol (origClientOrderIdList).
  [[nodiscard]] EncodeStatus encodeBatchCancel(std::span<const common::ClientOrderId> ids,
                                               const config::Instrument& instrument, ParamList& out,
                                               Endpoint& endpoint) const noexcept;

  Market market() const noexcept { return market_; }

 private:
  /// The order's own parameters (side, type, timeInForce, quantity, price, stopPrice,
  /// reduceOnly, positionSide), shared by new, cancel-replace and batch.
  EncodeStatus orderParams(const common::OrderRequest& r, const config::Instrument& inst, ParamList& out) const noexcept;
  EncodeStatus checkInstrument(const common::OrderRequest& r, const config::Instrument& inst) const noexcept;

  Market market_;
  OrderRespType respType_;
};

}  // namespace hft::api::binance
