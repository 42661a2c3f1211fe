#include "souk/events/aggregates.h"

#include <cmath>
#include <thread>

#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1800000000000;

Event Shown(int64_t t, std::vector<std::string> products) {
  return {.event_id = "i",
          .timestamp_ms = t,
          .user_id = "u1",
          .type = EventType::kImpression,
          .request_id = "r",
          .product_ids = std::move(products)};
}

Event Act(EventType type, int64_t t, std::string product, std::string user = "u1") {
  return {.event_id = "a",
          .timestamp_ms = t,
          .user_id = std::move(user),
          .type = type,
          .product_id = std::move(product),
          .position = 1,
          .quantity = 2,
          .unit_price = 5.0,
          .rating = 4};
}

TEST(AggregatesTest, CountsDecayByTheHalfLife) {
  Aggregates agg({.half_life_ms = 10 * kDay, .prior_strength = 0});
  agg.Apply(Shown(kT0, {"p1", "p2"}));
  agg.Apply(Act(EventType::kClick, kT0, "p1"));
  agg.Apply(Act(EventType::kPurchase, kT0, "p1"));
  ProductCounts now = agg.Counts("p1", kT0);
  EXPECT_DOUBLE_EQ(now.impressions, 1);
  EXPECT_DOUBLE_EQ(now.clicks, 1);
  EXPECT_DOUBLE_EQ(now.purchases, 2);  // units
  EXPECT_DOUBLE_EQ(now.revenue, 10);
  ProductCounts later = agg.Counts("p1", kT0 + 10 * kDay);
  EXPECT_DOUBLE_EQ(later.impressions, 0.5);
  EXPECT_DOUBLE_EQ(later.revenue, 5);
  EXPECT_DOUBLE_EQ(agg.ShopCounts(kT0 + 20 * kDay).impressions, 0.5);  // 2 shown, 2 half-lives
  EXPECT_DOUBLE_EQ(agg.Counts("unknown", kT0).impressions, 0);
}

TEST(AggregatesTest, LateEventsCountAsOfWhenTheyHappened) {
  Aggregates in_order({.half_life_ms = kDay});
  Aggregates shuffled({.half_life_ms = kDay});
  const std::vector<Event> events = {Act(EventType::kClick, kT0, "p1"),
                                     Act(EventType::kClick, kT0 + kDay, "p1"),
                                     Act(EventType::kClick, kT0 + 3 * kDay, "p1")};
  for (const Event& e : events) in_order.Apply(e);
  for (int i : {2, 0, 1}) shuffled.Apply(events[i]);
  EXPECT_THAT(shuffled.Counts("p1", kT0 + 4 * kDay).clicks,
              DoubleNear(in_order.Counts("p1", kT0 + 4 * kDay).clicks, 1e-12));
  EXPECT_DOUBLE_EQ(in_order.Counts("p1", kT0 + 3 * kDay).clicks, 1 + 0.25 + 0.125);
}

TEST(AggregatesTest, RatesShrinkTowardTheShopRate) {
  Aggregates agg({.prior_strength = 10});
  // The shop: 100 impressions of p2 with 10 clicks (rate 0.1); p1: 2 impressions, 2 clicks.
  for (int i = 0; i < 100; ++i) agg.Apply(Shown(kT0, {"p2"}));
  for (int i = 0; i < 10; ++i) agg.Apply(Act(EventType::kClick, kT0, "p2"));
  agg.Apply(Shown(kT0, {"p1"}));
  agg.Apply(Shown(kT0, {"p1"}));
  agg.Apply(Act(EventType::kClick, kT0, "p1"));
  agg.Apply(Act(EventType::kClick, kT0, "p1"));
  const double shop_ctr = 12.0 / 102.0;
  EXPECT_DOUBLE_EQ(agg.Rates("p1", kT0).click_through, (2 + 10 * shop_ctr) / (2 + 10));
  EXPECT_DOUBLE_EQ(agg.Rates("p404", kT0).click_through, shop_ctr);
  EXPECT_LT(agg.Rates("p1", kT0).click_through, 1.0);
  EXPECT_GT(agg.Rates("p1", kT0).click_through, agg.Rates("p2", kT0).click_through);
}

TEST(AggregatesTest, CountsEachBrandOverItsProducts) {
  Aggregates agg({.prior_strength = 0});
  const auto brand_of = [](std::string_view product) {
    return product == "p3" ? std::string_view() : product == "p1" ? "acme" : "zeta";
  };
  agg.Apply(Shown(kT0, {"p1", "p2", "p3"}), brand_of);
  agg.Apply(Shown(kT0, {"p1"}), brand_of);
  agg.Apply(Act(EventType::kClick, kT0, "p1"), brand_of);
  agg.Apply(Act(EventType::kPurchase, kT0, "p2"), brand_of);
  agg.Apply(Act(EventType::kPurchase, kT0, "p3"), brand_of);  // brandless: the shop only
  EXPECT_DOUBLE_EQ(agg.BrandCounts("acme", kT0).impressions, 2);
  EXPECT_DOUBLE_EQ(agg.BrandRates("acme", kT0).click_through, 0.5);
  EXPECT_DOUBLE_EQ(agg.BrandCounts("zeta", kT0).purchases, 2);
  EXPECT_DOUBLE_EQ(agg.BrandCounts("", kT0).purchases, 0);
  EXPECT_DOUBLE_EQ(agg.ShopCounts(kT0).purchases, 4);
  // Without brand_of nothing is counted by brand.
  agg.Apply(Act(EventType::kClick, kT0, "p1"));
  EXPECT_DOUBLE_EQ(agg.BrandCounts("acme", kT0).clicks, 1);
  EXPECT_DOUBLE_EQ(agg.Counts("p1", kT0).clicks, 2);
}

TEST(AggregatesTest, KeepsEachUsersRecentProductActionsInTimeOrder) {
  Aggregates agg({.max_user_actions = 3});
  agg.Apply(Act(EventType::kClick, kT0 + 1, "p1"));
  agg.Apply(Shown(kT0 + 2, {"p9"}));  // impressions are not actions
  agg.Apply(Act(EventType::kAddToCart, kT0 + 5, "p2"));
  agg.Apply(Act(EventType::kPurchase, kT0 + 3, "p3"));  // late
  agg.Apply(Act(EventType::kClick, kT0 + 6, "p4", "u2"));
  EXPECT_THAT(agg.RecentActions("u1"), ElementsAre(Field(&UserAction::product_id, "p1"),
                                                   Field(&UserAction::product_id, "p3"),
                                                   Field(&UserAction::product_id, "p2")));
  agg.Apply(Act(EventType::kReview, kT0 + 7, "p5"));
  EXPECT_THAT(agg.RecentActions("u1"), ElementsAre(Field(&UserAction::product_id, "p3"),
                                                   Field(&UserAction::product_id, "p2"),
                                                   Field(&UserAction::product_id, "p5")));
  EXPECT_TRUE(agg.RecentActions("nobody").empty());
  EXPECT_EQ(agg.events_applied(), 6u);
}

TEST(AggregatesTest, ConcurrentAppliesAreAllCounted) {
  Aggregates agg({.prior_strength = 0});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        agg.Apply(Act(EventType::kClick, kT0, StrCat("p", i % 7), StrCat("u", t)));
        agg.ApplySentiment(StrCat("p", i % 7), 0.5);
        (void)agg.Rates("p1", kT0);
        (void)agg.Sentiment("p1");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_DOUBLE_EQ(agg.ShopCounts(kT0).clicks, 2000);
  EXPECT_EQ(agg.RecentActions("u3").size(), 200u);
  EXPECT_DOUBLE_EQ(agg.ShopSentiment().reviews, 2000);
}

TEST(AggregatesTest, SumsReviewSentimentPerProductAndShop) {
  Aggregates agg({});
  agg.ApplySentiment("p1", 0.9);
  agg.ApplySentiment("p1", 0.3);
  agg.ApplySentiment("p2", 0.5);
  EXPECT_DOUBLE_EQ(agg.Sentiment("p1").reviews, 2);
  EXPECT_DOUBLE_EQ(agg.Sentiment("p1").positive, 1.2);
  EXPECT_DOUBLE_EQ(agg.Sentiment("p2").positive, 0.5);
  EXPECT_DOUBLE_EQ(agg.Sentiment("p3").reviews, 0);
  EXPECT_DOUBLE_EQ(agg.ShopSentiment().reviews, 3);
  EXPECT_DOUBLE_EQ(agg.ShopSentiment().positive, 1.7);
  // A review event itself counts no sentiment: its score arrives apart.
  agg.Apply(Act(EventType::kReview, kT0, "p3"));
  EXPECT_DOUBLE_EQ(agg.Sentiment("p3").reviews, 0);
  EXPECT_DOUBLE_EQ(agg.ShopSentiment().reviews, 3);
}

TEST(AggregatesTest, OptionsAreValidated) {
  EXPECT_OK(AggregateOptions{}.Validate());
  EXPECT_FALSE(AggregateOptions{.half_life_ms = 0}.Validate().ok());
  EXPECT_FALSE(AggregateOptions{.prior_strength = -1}.Validate().ok());
  EXPECT_FALSE(AggregateOptions{.max_user_actions = 0}.Validate().ok());
}

}  // namespace
}  // namespace souk::events
