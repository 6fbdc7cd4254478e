#pragma once
// One REST request as the server hands it to a router, and the answer it sends back.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hft::execution_engine::exchange_sim {

struct HttpIn {
  std::string method;  ///< "GET", "POST", "PUT", "DELETE"
  std::string target;  ///< path and query
  std::string body;
  std::string api_key;        ///< X-MBX-APIKEY ("" when absent)
  std::string content_type;   ///< of the body
  std::string authorization;  ///< Authorization (Upbit/Bithumb JWT; "" when absent)
};

struct HttpOut {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  uint32_t delay_ms = 0;  ///< the slow fault: answer this much later
};

}  // namespace hft::execution_engine::exchange_sim
