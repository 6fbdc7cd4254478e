#pragma once
// Bithumb API 2.x (apidocs.bithumb.com): an Upbit-style protocol. The parsers and the encoder of
// api/exchanges/upbit serve it with this dialect (see README.md for what was verified):
//   JWT HS256 with a `timestamp` claim (ms) in every token;
//   POST /v1/orders, DELETE /v1/order, GET /v1/order, GET /v1/orders (open orders: states[]=wait);
//   the client's order id travels as `client_order_id` (named by the 2026-06-30 changelog for
//   order lookups; its use on order placement through v1 is NOT verified first-hand).
//   Public WebSocket wss://ws-api.bithumb.com/websocket/v1 with Upbit's payload keys
//   (upbit::MarketDataParser); private WebSocket v2 is not parsed here.
#include "api/exchanges/upbit/Dialect.h"

namespace hft::api::bithumb {

inline constexpr upbit::Dialect kBithumb{common::ExchangeId::Bithumb,
                                         shared::JwtAlg::HS256,
                                         shared::JwtClaims::Bithumb,
                                         "client_order_id",
                                         "/v1/orders",
                                         "/v1/order",
                                         "/v1/order",
                                         "/v1/orders",
                                         false};

/// A JwtSigner set up for Bithumb (HS256, timestamp claim). Throws as JwtSigner does.
shared::JwtSigner makeJwtSigner(std::string_view accessKey, std::string_view secret);

}  // namespace hft::api::bithumb
