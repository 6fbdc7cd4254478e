#pragma once
// A Binance error answer: HTTP status and the {"code":N,"msg":".."} body.
#include <string>

namespace hft::execution_engine::exchange_sim {

struct VenueError {
  int http = 400;
  int code = 0;  ///< 0 = no error
  std::string msg;
  explicit operator bool() const noexcept { return code != 0; }
};

}  // namespace hft::execution_engine::exchange_sim
