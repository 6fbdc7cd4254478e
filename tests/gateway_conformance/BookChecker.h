#pragma once
// BookChecker: rebuilds one instrument's book from the market-data events a gateway publishes
// and records every broken promise as a violation (text naming the event index and ids):
//   - diff-synced venues: a diff applied only after a snapshot (kClearBook), pieces of one
//     update share ids, the first diff after a snapshot brackets it (U <= L+1, u >= L), later
//     diffs chain (prev_update_id == last u when the venue gives it, else U == last u + 1);
//     the published BookSnapshot equals the rebuilt top levels;
//   - full-snapshot venues: each BookSnapshot replaces the book;
//   - always: levels sorted and positive, the book never crossed after a complete update, a
//     BestBidOffer never crossed, a Gap (not kTradesOnly) invalidates the book until the next
//     snapshot (counted as a resync).
// It also keeps the top levels after each complete update by update id, so a REST book with
// an update id can be compared with the state the stream had at that very id.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ConformanceVenue.h"
#include "common/Events.h"

namespace hft::test::conformance {

class BookChecker {
 public:
  static constexpr size_t kKeptLevels = 5;
  struct Top {
    std::vector<common::BookLevel> bids, asks;  ///< best first, at most kKeptLevels
  };

  BookChecker(BookFeed feed, common::InstrumentId instrument) : feed_(feed), instrument_(instrument) {}

  void onEvent(const common::EventBuffer& b) {
    const common::EventHeader& h = b.header();
    if (h.instrument_id != instrument_) return;
    ++index_;
    switch (h.type) {
      case common::EventType::Gap: {
        const auto& g = b.as<common::Gap>();
        ++gaps_;
        if (g.reason == common::GapReason::FeedReconnect) ++reconnectGaps_;
        if (g.reason == common::GapReason::FeedSequenceGap) ++sequenceGaps_;
        if ((h.flags & common::Gap::kTradesOnly) == 0) {
          valid_ = false;
          inUpdate_ = false;
        }
        break;
      }
      case common::EventType::BookDelta: onDelta(b.as<common::BookDelta>()); break;
      case common::EventType::BookSnapshot: onSnapshot(b.as<common::BookSnapshot>()); break;
      case common::EventType::BestBidOffer: {
        const auto& q = b.as<common::BestBidOffer>();
        if (q.bid_price > 0 && q.ask_price > 0 && q.bid_price >= q.ask_price)
          violation("BestBidOffer crossed: bid " + std::to_string(q.bid_price) + " >= ask " + std::to_string(q.ask_price));
        break;
      }
      case common::EventType::Trade: {
        const auto& t = b.as<common::Trade>();
        ++trades_;
        if (t.price <= 0 || t.qty <= 0) violation("Trade with price/qty <= 0");
        break;
      }
      default: break;
    }
  }

  bool valid() const { return valid_; }
  uint64_t lastUpdateId() const { return lastId_; }
  uint64_t snapshotUpdateId() const { return snapshotId_; }  ///< the id of the last snapshot applied (diff venues)
  size_t updates() const { return updates_; }  ///< complete book updates applied
  size_t resyncs() const { return resyncs_; }  ///< books valid again after a Gap
  size_t gaps() const { return gaps_; }
  size_t reconnectGaps() const { return reconnectGaps_; }
  size_t sequenceGaps() const { return sequenceGaps_; }
  size_t trades() const { return trades_; }
  const std::vector<std::string>& violations() const { return violations_; }
  Top top() const { return topOf(); }
  /// The top levels right after the complete update whose last id was `id`; nullptr if the
  /// stream never stood at exactly that id.
  const Top* topAt(uint64_t id) const {
    const auto it = history_.find(id);
    return it == history_.end() ? nullptr : &it->second;
  }

 private:
  void onDelta(const common::BookDelta& d) {
    if (feed_ == BookFeed::FullSnapshots) {
      violation("BookDelta from a full-snapshot venue");
      return;
    }
    const bool clear = d.flags & common::BookDelta::kClearBook;
    const bool fromSnapshot = d.flags & common::BookDelta::kFromSnapshot;
    if (inUpdate_) {  // a further piece of the same update: same ids
      if (d.first_update_id != pieceFirst_ || d.last_update_id != pieceLast_)
        violation("continuation piece with other ids " + ids(d));
    } else if (clear) {
      if (!fromSnapshot) violation("kClearBook without kFromSnapshot " + ids(d));
      bids_.clear();
      asks_.clear();
      if (!valid_ && hadBook_) ++resyncs_;
      valid_ = true;
      hadBook_ = true;
      afterSnapshot_ = true;
      snapshotId_ = d.last_update_id;
    } else if (!valid_) {
      violation("diff applied with no synced book " + ids(d));
    } else if (fromSnapshot) {
      violation("snapshot piece without kClearBook " + ids(d));
    } else if (afterSnapshot_) {
      if (!(d.first_update_id <= lastId_ + 1 && d.last_update_id >= lastId_))
        violation("first diff does not bracket the snapshot id " + std::to_string(lastId_) + ": " + ids(d));
      afterSnapshot_ = false;
    } else if (d.prev_update_id != 0 ? d.prev_update_id != lastId_ : d.first_update_id != lastId_ + 1) {
      violation("diff does not chain on " + std::to_string(lastId_) + ": " + ids(d));
    }
    pieceFirst_ = d.first_update_id;
    pieceLast_ = d.last_update_id;
    for (uint16_t i = 0; i < d.count && i < common::BookDelta::kMaxLevels; ++i) {
      const auto& l = d.levels[i];
      if (l.price <= 0 || l.qty < 0) violation("level with price <= 0 or qty < 0 " + ids(d));
      if (l.side == common::Side::Buy) set(bids_, l.price, l.qty);
      else if (l.side == common::Side::Sell) set(asks_, l.price, l.qty);
      else violation("level with no side " + ids(d));
    }
    inUpdate_ = d.flags & common::BookDelta::kContinuation;
    if (!inUpdate_) {
      lastId_ = d.last_update_id;
      completed();
    }
  }

  void onSnapshot(const common::BookSnapshot& s) {
    if (s.bid_count > common::BookSnapshot::kDepth || s.ask_count > common::BookSnapshot::kDepth) {
      violation("BookSnapshot counts above kDepth");
      return;
    }
    for (uint16_t i = 0; i < s.bid_count; ++i)
      if (s.bids[i].qty <= 0 || (i > 0 && s.bids[i].price >= s.bids[i - 1].price))
        violation("BookSnapshot bids not strictly descending with qty > 0");
    for (uint16_t i = 0; i < s.ask_count; ++i)
      if (s.asks[i].qty <= 0 || (i > 0 && s.asks[i].price <= s.asks[i - 1].price))
        violation("BookSnapshot asks not strictly ascending with qty > 0");
    if (feed_ == BookFeed::FullSnapshots) {  // the whole book, replaced
      bids_.clear();
      asks_.clear();
      for (uint16_t i = 0; i < s.bid_count; ++i) bids_[s.bids[i].price] = s.bids[i].qty;
      for (uint16_t i = 0; i < s.ask_count; ++i) asks_[s.asks[i].price] = s.asks[i].qty;
      if (!valid_ && hadBook_) ++resyncs_;
      valid_ = hadBook_ = true;
      lastId_ = s.last_update_id;
      completed();
      return;
    }
    // Diff-synced: the published top must be the book the diffs built.
    if (!valid_ || inUpdate_) return;
    const Top t = topOf(common::BookSnapshot::kDepth);
    const size_t nb = std::min<size_t>(s.bid_count, t.bids.size()), na = std::min<size_t>(s.ask_count, t.asks.size());
    bool same = s.bid_count == std::min<size_t>(common::BookSnapshot::kDepth, bids_.size()) &&
                s.ask_count == std::min<size_t>(common::BookSnapshot::kDepth, asks_.size());
    for (size_t i = 0; same && i < nb; ++i) same = s.bids[i].price == t.bids[i].price && s.bids[i].qty == t.bids[i].qty;
    for (size_t i = 0; same && i < na; ++i) same = s.asks[i].price == t.asks[i].price && s.asks[i].qty == t.asks[i].qty;
    if (!same) violation("BookSnapshot differs from the book its deltas built (update " + std::to_string(lastId_) + ")");
  }

  void completed() {
    ++updates_;
    if (!bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first)
      violation("book crossed after update " + std::to_string(lastId_) + ": bid " + std::to_string(bids_.begin()->first) +
                " >= ask " + std::to_string(asks_.begin()->first));
    if (feed_ == BookFeed::DiffsWithSnapshot) history_[lastId_] = topOf();
  }

  template <class Side>
  static void set(Side& side, int64_t price, int64_t qty) {
    if (qty == 0) side.erase(price);
    else side[price] = qty;
  }
  Top topOf(size_t n = kKeptLevels) const {
    Top t;
    for (auto it = bids_.begin(); it != bids_.end() && t.bids.size() < n; ++it) t.bids.push_back({it->first, it->second});
    for (auto it = asks_.begin(); it != asks_.end() && t.asks.size() < n; ++it) t.asks.push_back({it->first, it->second});
    return t;
  }
  static std::string ids(const common::BookDelta& d) {
    return "[U " + std::to_string(d.first_update_id) + ", u " + std::to_string(d.last_update_id) + ", pu " +
           std::to_string(d.prev_update_id) + "]";
  }
  void violation(const std::string& what) {
    if (violations_.size() < 20) violations_.push_back("event " + std::to_string(index_) + ": " + what);
  }

  BookFeed feed_;
  common::InstrumentId instrument_;
  std::map<int64_t, int64_t, std::greater<>> bids_;
  std::map<int64_t, int64_t> asks_;
  std::map<uint64_t, Top> history_;
  std::vector<std::string> violations_;
  uint64_t lastId_ = 0, snapshotId_ = 0, pieceFirst_ = 0, pieceLast_ = 0;
  size_t index_ = 0, updates_ = 0, resyncs_ = 0, gaps_ = 0, reconnectGaps_ = 0, sequenceGaps_ = 0, trades_ = 0;
  bool valid_ = false, hadBook_ = false, inUpdate_ = false, afterSnapshot_ = false;
};

}  // namespace hft::test::conformance
