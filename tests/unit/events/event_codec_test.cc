#include "souk/events/event_codec.h"

#include "support/test_support.h"

namespace souk::events {
namespace {

using ::souk::testing::StatusIs;

Event FullEvent() {
  return Event{.event_id = "e1",
               .timestamp_ms = 1704067254123,
               .user_id = "u7",
               .session_id = "s3",
               .type = EventType::kPurchase,
               .request_id = "r9",
               .query = "头戴式耳机",
               .product_ids = {"p1", "p2", ""},
               .product_id = "p2",
               .position = 2,
               .quantity = 3,
               .unit_price = 54.9,
               .rating = -1,
               .text = std::string("with\0nul", 8)};
}

TEST(EventCodecTest, RoundTripsEveryField) {
  const Event event = FullEvent();
  absl::StatusOr<Event> decoded = DecodeEvent(EncodeEvent(event));
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, event);
}

TEST(EventCodecTest, RoundTripsExtremeNumbers) {
  Event event{.event_id = "e", .timestamp_ms = INT64_MIN, .type = EventType::kReview};
  event.position = INT32_MAX;
  event.quantity = INT32_MIN;
  event.unit_price = -0.0;
  absl::StatusOr<Event> decoded = DecodeEvent(EncodeEvent(event));
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, event);
}

TEST(EventCodecTest, RefusesEveryTruncation) {
  const std::string record = EncodeEvent(FullEvent());
  for (size_t n = 0; n < record.size(); ++n) {
    EXPECT_THAT(DecodeEvent(record.substr(0, n)), StatusIs(absl::StatusCode::kDataLoss, ""))
        << "prefix of " << n << " bytes";
  }
}

TEST(EventCodecTest, RefusesTrailingBytesUnknownVersionAndType) {
  const std::string record = EncodeEvent(FullEvent());
  EXPECT_THAT(DecodeEvent(record + "x"),
              StatusIs(absl::StatusCode::kDataLoss, "after the last field"));
  std::string other_version = record;
  other_version[0] = 2;
  EXPECT_THAT(DecodeEvent(other_version), StatusIs(absl::StatusCode::kDataLoss, "version 2"));
  std::string other_type = record;
  other_type[1] = 7;
  EXPECT_THAT(DecodeEvent(other_type), StatusIs(absl::StatusCode::kDataLoss, "unknown type 7"));
}

}  // namespace
}  // namespace souk::events
