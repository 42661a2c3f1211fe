#include "souk/events/event_validation.h"

#include <string>

#include "support/test_support.h"

namespace souk::events {
namespace {

using ::souk::testing::StatusIs;

constexpr int64_t kNow = 1800000000000;

bool Known(std::string_view id) { return id == "p1" || id == "p2"; }

absl::Status Check(const Event& e) { return ValidateEvent(e, EventLimits{}, kNow, Known); }

Event Base(EventType type) {
  Event e{.event_id = "e1", .timestamp_ms = kNow - 1000, .user_id = "u1", .type = type};
  switch (type) {
    case EventType::kSearch:
      e.request_id = "r1";
      e.query = "tea";
      break;
    case EventType::kImpression:
      e.request_id = "r1";
      e.product_ids = {"p1", "p2"};
      break;
    case EventType::kClick:
      e.request_id = "r1";
      e.product_id = "p1";
      e.position = 1;
      break;
    case EventType::kAddToCart:
      e.product_id = "p1";
      e.quantity = 1;
      break;
    case EventType::kPurchase:
      e.product_id = "p1";
      e.quantity = 2;
      e.unit_price = 9.99;
      break;
    case EventType::kReview:
      e.product_id = "p2";
      e.rating = 5;
      break;
  }
  return e;
}

TEST(EventValidationTest, AcceptsAWellFormedEventOfEveryType) {
  for (EventType type : {EventType::kSearch, EventType::kImpression, EventType::kClick,
                         EventType::kAddToCart, EventType::kPurchase, EventType::kReview}) {
    EXPECT_OK(Check(Base(type))) << EventTypeName(type);
  }
}

TEST(EventValidationTest, NamesTheFieldOfCommonProblems) {
  Event e = Base(EventType::kClick);
  e.event_id.clear();
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "event_id: must not be"));
  e = Base(EventType::kClick);
  e.user_id = "u 1";
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "user_id: holds a blank"));
  e = Base(EventType::kClick);
  e.user_id = std::string(200, 'u');
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "user_id: is 200 bytes"));
  e = Base(EventType::kClick);
  e.session_id = "\xff";
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "session_id: not valid"));
}

TEST(EventValidationTest, RefusesTimestampsFarInTheFutureOrInSeconds) {
  Event e = Base(EventType::kClick);
  e.timestamp_ms = kNow + 4 * 60 * 1000;
  EXPECT_OK(Check(e));  // within the allowed clock skew
  e.timestamp_ms = kNow + 24LL * 3600 * 1000;
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "in the future"));
  e.timestamp_ms = 1704067254;  // seconds, not milliseconds
  EXPECT_THAT(Check(e),
              StatusIs(absl::StatusCode::kInvalidArgument, "timestamp_ms: 1704067254 is before"));
}

TEST(EventValidationTest, RefusesUnknownProductsWhereverTheyAppear) {
  Event e = Base(EventType::kImpression);
  e.product_ids = {"p1", "p404"};
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument,
                                 "product_ids[1]: unknown product 'p404'"));
  for (EventType type :
       {EventType::kClick, EventType::kAddToCart, EventType::kPurchase, EventType::kReview}) {
    e = Base(type);
    e.product_id = "p404";
    EXPECT_THAT(Check(e),
                StatusIs(absl::StatusCode::kInvalidArgument, "product_id: unknown product 'p404'"))
        << EventTypeName(type);
  }
}

TEST(EventValidationTest, RefusesBadValuesOfEachType) {
  Event e = Base(EventType::kPurchase);
  e.unit_price = -1;
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "unit_price: -1 is outside"));
  e.unit_price = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "unit_price"));
  e = Base(EventType::kAddToCart);
  e.quantity = 0;
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "quantity: 0 is outside"));
  e = Base(EventType::kClick);
  e.position = 0;
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "position: 0 is not"));
  e = Base(EventType::kClick);
  e.request_id.clear();
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "request_id: must not be"));
  e = Base(EventType::kReview);
  e.rating = 6;
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "rating: 6 is outside 1..5"));
  e = Base(EventType::kSearch);
  e.query.clear();
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "query: must not be empty"));
  e = Base(EventType::kImpression);
  e.product_ids.assign(1001, "p1");
  EXPECT_THAT(Check(e), StatusIs(absl::StatusCode::kInvalidArgument, "product_ids: 1001 products"));
}

}  // namespace
}  // namespace souk::events
