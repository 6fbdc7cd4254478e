#include "execution_engine/sim/QueueModel.h"

namespace hft::execution_engine::sim {

const char* toString(QueueModel m) noexcept {
  switch (m) {
    case QueueModel::Pessimistic:
      return "pessimistic";
    case QueueModel::Proportional:
      return "proportional";
    case QueueModel::Optimistic:
      return "optimistic";
  }
  return "unknown";
}

bool queueModelFromString(std::string_view name, QueueModel& out) noexcept {
  for (QueueModel m : {QueueModel::Pessimistic, QueueModel::Proportional, QueueModel::Optimistic}) {
    if (name == toString(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

}  // namespace hft::execution_engine::sim
