#pragma once
// A throw-away self-signed certificate (EC P-256, SAN localhost + 127.0.0.1) made with the
// OpenSSL API at test time: no key material is committed.
#include <string>

namespace hft::net::test {

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

TestCert makeSelfSignedCert();

/// Writes `text` to a fresh file under the temp dir and returns its path.
std::string writeTempFile(const std::string& stem, const std::string& text);

}  // namespace hft::net::test
