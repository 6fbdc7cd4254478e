#pragma once
// Upbit and Bithumb 2.x speak one protocol family: same JWT scheme (bar the algorithm and
// Bithumb's timestamp claim), same `KRW-BTC` market codes, same order fields (bid/ask,
// limit/price/market/best, volume/price as decimal strings), same WebSocket framing and
// Upbit-style payload keys. What differs is collected here, so the parsers and the encoder
// are written once and each venue is a constant (kUpbit here, bithumb::kBithumb there).
#include <string_view>

#include "api/exchanges/shared/JwtSigner.h"
#include "common/Ids.h"

namespace hft::api::upbit {

struct Dialect {
  common::ExchangeId exchange;      ///< whose instruments the resolver looks up
  shared::JwtAlg jwtAlg;            ///< HS512 (Upbit), HS256 (Bithumb)
  shared::JwtClaims jwtClaims;      ///< Bithumb adds a timestamp claim
  std::string_view clientIdKey;     ///< our client order id's parameter: "identifier" / "client_order_id"
  std::string_view newOrderPath;    ///< POST
  std::string_view cancelPath;      ///< DELETE ?uuid= | ?<clientIdKey>=
  std::string_view queryPath;       ///< GET ?uuid= | ?<clientIdKey>=
  std::string_view openOrdersPath;  ///< GET ?market=&states[]=wait[&states[]=watch]&limit=
  bool hasWatchState;               ///< reserved (stop) orders rest in state `watch` (Upbit)
};

/// Upbit (docs.upbit.com, 2026): POST /v1/orders, DELETE /v1/order, GET /v1/order,
/// GET /v1/orders/open; `identifier` is the client's id; time_in_force ioc/fok/post_only.
inline constexpr Dialect kUpbit{common::ExchangeId::Upbit,
                                shared::JwtAlg::HS512,
                                shared::JwtClaims::Upbit,
                                "identifier",
                                "/v1/orders",
                                "/v1/order",
                                "/v1/order",
                                "/v1/orders/open",
                                true};

}  // namespace hft::api::upbit
