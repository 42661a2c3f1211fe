#include "souk/events/event_jsonl.h"

#include "souk/base/file_util.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

Event Base(EventType type) {
  return {.event_id = "e1",
          .timestamp_ms = 1704067254999,
          .user_id = "u1",
          .session_id = "s1",
          .type = type,
          .request_id = "r1"};
}

TEST(EventJsonlTest, WritesTheDemoShopLayoutForEveryType) {
  Event search = Base(EventType::kSearch);
  search.query = "头戴式耳机 \"pro\"";
  EXPECT_EQ(EventJsonLine(search),
            R"({"event_id":"e1","ts":1704067254,"type":"search","user_id":"u1","session_id":"s1",)"
            R"("request_id":"r1","query":"头戴式耳机 \"pro\""})"
            "\n");
  Event shown = Base(EventType::kImpression);
  shown.product_ids = {"p1", "p2"};
  EXPECT_EQ(EventJsonLine(shown),
            R"({"event_id":"e1","ts":1704067254,"type":"impression","user_id":"u1",)"
            R"("session_id":"s1","request_id":"r1","product_ids":["p1","p2"]})"
            "\n");
  Event click = Base(EventType::kClick);
  click.product_id = "p2";
  click.position = 2;
  EXPECT_EQ(EventJsonLine(click),
            R"({"event_id":"e1","ts":1704067254,"type":"click","user_id":"u1","session_id":"s1",)"
            R"("request_id":"r1","product_id":"p2","position":2})"
            "\n");
  Event purchase = Base(EventType::kPurchase);
  purchase.request_id.clear();  // optional on purchases, and so is the position
  purchase.product_id = "p2";
  purchase.quantity = 3;
  purchase.unit_price = 54.9;
  EXPECT_EQ(EventJsonLine(purchase),
            R"({"event_id":"e1","ts":1704067254,"type":"purchase","user_id":"u1",)"
            R"("session_id":"s1","product_id":"p2","quantity":3,"price":54.9})"
            "\n");
  Event review = Base(EventType::kReview);
  review.request_id.clear();
  review.product_id = "p2";
  review.rating = 4;
  review.text = "好";
  EXPECT_EQ(EventJsonLine(review),
            R"({"event_id":"e1","ts":1704067254,"type":"review","user_id":"u1","session_id":"s1",)"
            R"("product_id":"p2","rating":4,"text":"好"})"
            "\n");
}

TEST(EventJsonlTest, ReadsBackWhatItWrites) {
  std::vector<Event> events;
  for (EventType type : {EventType::kSearch, EventType::kImpression, EventType::kClick,
                         EventType::kAddToCart, EventType::kPurchase, EventType::kReview}) {
    Event e = Base(type);
    e.timestamp_ms = 1704067254000;  // whole seconds: the layout keeps no milliseconds
    if (type == EventType::kSearch) e.query = "drill";
    if (type == EventType::kImpression) e.product_ids = {"p1", "p2"};
    if (type != EventType::kSearch && type != EventType::kImpression) e.product_id = "p2";
    if (type == EventType::kClick || type == EventType::kAddToCart) e.position = 2;
    if (type == EventType::kAddToCart || type == EventType::kPurchase) e.quantity = 3;
    if (type == EventType::kPurchase) e.unit_price = 9.5;
    if (type == EventType::kReview) {
      e.request_id.clear();
      e.rating = 4;
      e.text = "good";
    }
    events.push_back(e);
  }
  souk::testing::TempDir tmp;
  std::string file;
  for (const Event& e : events) file += EventJsonLine(e) + "\n";  // blank lines are skipped
  const std::string path = tmp.File("events.jsonl");
  ASSERT_OK(WriteFileAtomically(path, file));
  auto read = ReadEventsJsonl(path);
  ASSERT_OK(read);
  EXPECT_EQ(*read, events);
}

TEST(EventJsonlTest, BadLinesAreRefusedByKeyAndLine) {
  using ::souk::testing::StatusIs;
  const auto code = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(ParseEventJsonLine("[1]"), StatusIs(code, "not a JSON object"));
  EXPECT_THAT(ParseEventJsonLine(R"({"ts":1,"type":"dance"})"), StatusIs(code, "'dance'"));
  EXPECT_THAT(ParseEventJsonLine(R"({"type":"click"})"), StatusIs(code, "\"ts\" is missing"));
  EXPECT_THAT(ParseEventJsonLine(R"({"ts":"1","type":"click"})"), StatusIs(code, "\"ts\""));
  EXPECT_THAT(ParseEventJsonLine(R"({"ts":1,"type":"click","position":1.5})"),
              StatusIs(code, "\"position\" must be an integer"));
  EXPECT_THAT(ParseEventJsonLine(R"({"ts":1,"type":"impression","product_ids":[1]})"),
              StatusIs(code, "\"product_ids\""));
  souk::testing::TempDir tmp;
  const std::string path = tmp.File("events.jsonl");
  ASSERT_OK(WriteFileAtomically(path, "{\"ts\":1,\"type\":\"click\"}\n{\"ts\":1}\n"));
  EXPECT_THAT(ReadEventsJsonl(path), StatusIs(code, path + ":2"));
}

}  // namespace
}  // namespace souk::events
