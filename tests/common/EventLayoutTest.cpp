#include <gtest/gtest.h>

#include "common/Events.h"

using namespace hft::common;

TEST(EventLayout, everyTypeNameRoundTrips) {
  for (uint16_t i = 1; i < kEventTypeCount; ++i) {
    const auto t = static_cast<EventType>(i);
    EXPECT_EQ(eventTypeFromString(toString(t)), t) << i;
  }
  EXPECT_EQ(eventTypeFromString("NoSuchEvent"), EventType::Invalid);
}

TEST(EventLayout, sizesAreValidatedPerType) {
  EXPECT_TRUE(isValidEventSize(EventType::Trade, sizeof(Trade)));
  EXPECT_FALSE(isValidEventSize(EventType::Trade, sizeof(Trade) + 8));
  EXPECT_TRUE(isValidEventSize(EventType::BookDelta, BookDelta::sizeFor(0)));
  EXPECT_TRUE(isValidEventSize(EventType::BookDelta, BookDelta::sizeFor(BookDelta::kMaxLevels)));
  EXPECT_FALSE(isValidEventSize(EventType::BookDelta, BookDelta::sizeFor(BookDelta::kMaxLevels + 1)));
  EXPECT_FALSE(isValidEventSize(EventType::BookDelta, BookDelta::kFixedBytes + 8));
  EXPECT_FALSE(isValidEventSize(EventType::Invalid, 48));
  EXPECT_FALSE(isValidEventSize(static_cast<EventType>(999), 64));
}

TEST(EventLayout, makeHeaderFillsTypeSizeAndSchema) {
  Trade t{};
  t.header = makeHeader<Trade>(ExchangeId::Binance, 7, 100, 200);
  EXPECT_EQ(t.header.type, EventType::Trade);
  EXPECT_EQ(t.header.size, sizeof(Trade));
  EXPECT_EQ(t.header.schema_version, kSchemaVersion);
  EXPECT_EQ(t.header.exchange_id, ExchangeId::Binance);
  EXPECT_EQ(t.header.instrument_id, 7u);
  EXPECT_EQ(t.header.exchange_ts_ns, 100);
  EXPECT_EQ(t.header.receive_ts_ns, 200);
  EXPECT_EQ(t.header.sequence, 0u);
}

TEST(EventLayout, exchangeNamesRoundTrip) {
  for (auto id : {ExchangeId::Binance, ExchangeId::BinanceFutures, ExchangeId::Upbit, ExchangeId::Bithumb,
                  ExchangeId::Simulated})
    EXPECT_EQ(exchangeFromString(toString(id)), id);
  EXPECT_EQ(exchangeFromString("nyse"), ExchangeId::None);
}
