#include "api/exchanges/bithumb/BithumbDialect.h"

namespace hft::api::bithumb {

shared::JwtSigner makeJwtSigner(std::string_view accessKey, std::string_view secret) {
  return shared::JwtSigner(kBithumb.jwtAlg, kBithumb.jwtClaims, accessKey, secret);
}

}  // namespace hft::api::bithumb
