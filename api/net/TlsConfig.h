#pragma once
#include <string>

namespace hft::net {

/// TLS client settings shared by the REST and WebSocket clients (https://, wss://).
struct TlsConfig {
  bool verify_peer = true;  ///< verify the certificate chain and the host name (or IP); turn
                            ///< off only for tests against a throw-away server
  std::string ca_file;      ///< PEM bundle of trusted CAs; empty = the system's default paths
};

}  // namespace hft::net
