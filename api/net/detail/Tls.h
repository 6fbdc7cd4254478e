#pragma once
// Private to api/net (Beast/Asio/OpenSSL are kept out of the public headers).
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

#include "api/net/TlsConfig.h"

namespace hft::net::detail {

/// A client context: TLS 1.2+, peer verification against `ca_file` or the system's CAs.
/// Throws std::runtime_error when the CA file cannot be loaded.
inline boost::asio::ssl::context makeClientContext(const TlsConfig& cfg) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  if (cfg.verify_peer) {
    ctx.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (cfg.ca_file.empty())
      ctx.set_default_verify_paths(ec);
    else
      ctx.load_verify_file(cfg.ca_file, ec);
    if (ec) {
      std::string m("TLS: cannot load CA file '");
      m.append(cfg.ca_file).append("': ").append(ec.message());
      throw std::runtime_error(m);
    }
  } else {
    ctx.set_verify_mode(ssl::verify_none);
  }
  return ctx;
}

/// Per connection: SNI (host names only, per RFC 6066) and the name or IP the certificate must
/// carry. False when OpenSSL refuses the settings.
inline bool prepareTlsConnection(SSL* ssl, const std::string& host, bool verify) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(host, ec);
  const bool isIp = !ec;
  // SSL_set_tlsext_host_name is a macro with an old-style cast: call what it expands to.
  if (!isIp && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                        static_cast<void*>(const_cast<char*>(host.c_str()))) != 1)
    return false;
  if (!verify) return true;
  if (isIp) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

}  // namespace hft::net::detail
