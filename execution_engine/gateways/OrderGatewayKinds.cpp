#include "execution_engine/gateways/OrderGatewayKinds.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace hft::execution_engine::gateways {

namespace {

// A function-local static: registrations run during static initialisation, in an order between
// translation units that nobody controls, so the table must exist before the first of them.
std::vector<OrderGatewayKind>& table() {
  static std::vector<OrderGatewayKind> kinds;
  return kinds;
}

}  // namespace

bool registerOrderGatewayKind(const OrderGatewayKind& kind) noexcept {
  if (kind.name.empty() || kind.name == "dry_run" || !kind.read || !kind.missingCredentials || !kind.make ||
      findOrderGatewayKind(kind.name) != nullptr) {
    std::fprintf(stderr, "registerOrderGatewayKind: \"%.*s\" is empty, reserved, incomplete or registered twice\n",
                 static_cast<int>(kind.name.size()), kind.name.data());
    std::abort();
  }
  table().push_back(kind);
  return true;
}

const OrderGatewayKind* findOrderGatewayKind(std::string_view name) noexcept {
  for (const OrderGatewayKind& k : table())
    if (k.name == name) return &k;
  return nullptr;
}

std::string orderGatewayKindNames() {
  std::vector<std::string_view> names;
  for (const OrderGatewayKind& k : table()) names.push_back(k.name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out.append(", ");
    out.append(n);
  }
  return out;
}

}  // namespace hft::execution_engine::gateways
