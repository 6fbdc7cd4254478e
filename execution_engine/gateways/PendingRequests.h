#pragma once
// The requests a gateway has sent and not yet had answered, by request id: what to do with the
// answer (report an ack, a cancel, a query result; retry after a clock resync). A fixed pool
// allocated at construction; the slot of request id n is n % capacity, and ids count up, so a
// slot is reused only after `capacity` later requests: an answer that never came (a dropped
// WebSocket connection) does not leak a slot, it is overwritten.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "common/events/ExecutionReport.h"
#include "common/events/OrderRequest.h"
#include "interfaces/IRestApiClient.h"

namespace hft::execution_engine::gateways {

/// What a request was for.
enum class RequestKind : uint8_t {
  None = 0,
  Order = 1,         ///< New / Cancel / Modify: `request` is the order request
  Query = 2,         ///< order status of `query_id` on `instrument`
  ServerTime = 3,    ///< GET time (resync after -1021)
  OpenOrders = 4,    ///< GET openOrders after a user-stream reconnect
  ListenKeyPut = 5,  ///< futures listenKey keepalive
  ListenKeyPost = 6, ///< futures listenKey (re)creation
  Subscribe = 7,     ///< spot WebSocket API userDataStream.subscribe.signature
  Batch = 8,         ///< USD-M batchOrders: `batch[0..batch_count)` with their send times
};

/// Most orders one batch request carries (USD-M batchOrders: 5).
inline constexpr size_t kMaxBatch = 5;

struct PendingRequest {
  uint64_t id = 0;                       ///< 0 = free
  RequestKind kind = RequestKind::None;
  uint8_t attempt = 1;                   ///< 1 = first send; 2 = re-sent after a -1021
  bool via_ws = false;                   ///< sent on the WebSocket API (else REST)
  bool awaiting_resync = false;          ///< refused with -1021: re-sent once the clock is synced
  common::InstrumentId instrument = 0;   ///< Query
  common::ClientOrderId query_id = 0;    ///< Query
  common::TimestampNs local_send_ts = 0; ///< the executor's send time, copied into reports
  common::OrderRequest request{};        ///< Order
  uint8_t batch_count = 0;               ///< Batch
  common::OrderRequest batch[kMaxBatch]{};
  common::TimestampNs batch_ts[kMaxBatch]{};
};

/// What came back for a pending request, whatever carried it (REST, or a venue's WebSocket API).
struct RequestAnswer {
  bool delivered = false;  ///< a complete answer (else outcome unknown, or not sent)
  bool not_sent = false;   ///< nothing reached the venue
  int status = 0;          ///< HTTP status or WebSocket API status
  std::string_view body;   ///< the reply (WebSocket API: the "result" or "error" value)
  common::TimestampNs sent_ns = 0, received_ns = 0;

  /// A REST response; `now` stands in for a missing receive time.
  static RequestAnswer fromRest(const interfaces::RestResponse& r, common::TimestampNs now) noexcept {
    RequestAnswer a;
    a.delivered = r.ok();
    a.not_sent = r.outcome == interfaces::TransportOutcome::NotSent;
    a.status = r.status;
    a.body = r.body;
    a.sent_ns = r.sent_ns;
    a.received_ns = r.received_ns ? r.received_ns : now;
    return a;
  }
};

/// The Rejected report of an order request or query the venue refused (or that never got an
/// answer it could act on): the request's ids and terms, `why`, stamped `now`.
inline common::ExecutionReport rejectionOf(const PendingRequest& p, common::ExchangeId venue, common::RejectReason why,
                                           common::TimestampNs now) noexcept {
  common::ExecutionReport rep{};
  if (p.kind == RequestKind::Query) {
    rep.header = common::makeHeader<common::ExecutionReport>(venue, p.instrument, now, now);
    rep.client_order_id = p.query_id;
  } else {
    const common::OrderRequest& r = p.request;
    rep.header = common::makeHeader<common::ExecutionReport>(venue, r.header.instrument_id, now, now);
    rep.client_order_id = r.client_order_id;
    rep.orig_client_order_id = r.orig_client_order_id;
    rep.side = r.side;
    rep.order_type = r.type;
    rep.tif = r.tif;
    rep.order_price = r.price;
  }
  rep.exec_type = common::ExecType::Rejected;
  rep.reject_reason = why;
  rep.venue_ts_ns = now;
  return rep;
}

class PendingRequests {
 public:
  /// Start-up: `capacity` slots (a power of two). Throws std::invalid_argument otherwise.
  explicit PendingRequests(size_t capacity) : mask_(capacity - 1), slots_(std::make_unique<PendingRequest[]>(capacity)) {
    if (capacity == 0 || (capacity & (capacity - 1)) != 0) throw std::invalid_argument("PendingRequests: capacity must be a power of two");
  }

  /// A fresh id and its slot (any older request in that slot is forgotten).
  PendingRequest& open(RequestKind kind) noexcept {
    const uint64_t id = ++lastId_;
    PendingRequest& p = slots_[id & mask_];
    p = PendingRequest{};
    p.id = id;
    p.kind = kind;
    return p;
  }
  /// The request with this id, or nullptr (never sent, answered already, or overwritten).
  PendingRequest* find(uint64_t id) noexcept {
    PendingRequest& p = slots_[id & mask_];
    return id != 0 && p.id == id ? &p : nullptr;
  }
  void close(PendingRequest& p) noexcept { p.id = 0; }
  size_t capacity() const noexcept { return mask_ + 1; }
  /// Calls fn(slot) for every open request (cold or rare paths: reconnects, resyncs).
  template <class Fn>
  void forEachOpen(Fn&& fn) noexcept {
    for (size_t i = 0; i <= mask_; ++i)
      if (slots_[i].id != 0) fn(slots_[i]);
  }

 private:
  size_t mask_;
  std::unique_ptr<PendingRequest[]> slots_;
  uint64_t lastId_ = 0;
};

}  // namespace hft::execution_engine::gateways
