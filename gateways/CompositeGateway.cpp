#include "gateways/CompositeGateway.h"

#include <stdexcept>

namespace hft::gateways {

CompositeGateway::CompositeGateway(std::vector<std::unique_ptr<interfaces::IGateway>> members)
    : members_(std::move(members)) {
  if (members_.empty()) throw std::invalid_argument("CompositeGateway: no member gateways");
  for (size_t i = 0; i < members_.size(); ++i) {
    if (!members_[i]) throw std::invalid_argument("CompositeGateway: member " + std::to_string(i) + " is null");
    if (i) name_.append("+");
    name_.append(members_[i]->name());
  }
}

CompositeGateway::~CompositeGateway() = default;

void CompositeGateway::start(interfaces::IEventSink& sink) {
  size_t started = 0;
  try {
    for (; started < members_.size(); ++started) members_[started]->start(sink);
  } catch (...) {
    while (started > 0) members_[--started]->stop();
    throw;
  }
}

int CompositeGateway::poll() noexcept {
  int delivered = 0;
  for (auto& m : members_)
    if (!m->finished()) delivered += m->poll();
  return delivered;
}

bool CompositeGateway::finished() const noexcept {
  for (const auto& m : members_)
    if (!m->finished()) return false;
  return true;
}

void CompositeGateway::stop() noexcept {
  for (size_t i = members_.size(); i > 0; --i) members_[i - 1]->stop();
}

bool CompositeGateway::isLive() const noexcept {
  for (const auto& m : members_)
    if (m->isLive()) return true;
  return false;
}

std::vector<std::string> CompositeGateway::statusLines() const {
  std::vector<std::string> out;
  for (const auto& m : members_)
    for (std::string& line : m->statusLines()) out.push_back(std::move(line));
  return out;
}

}  // namespace hft::gateways
