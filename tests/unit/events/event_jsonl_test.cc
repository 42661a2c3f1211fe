#include "souk/events/event_jsonl.h"

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

}  // namespace
}  // namespace souk::events
