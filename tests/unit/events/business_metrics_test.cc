#include "souk/events/business_metrics.h"

#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1800000000000 / kDay * kDay;  // a midnight

Event Make(EventType type, std::string user, std::string session, int64_t t) {
  Event e{.event_id = StrCat(user, session, t, static_cast<int>(type)),
          .timestamp_ms = t,
          .user_id = std::move(user),
          .session_id = std::move(session),
          .type = type,
          .request_id = "r",
          .query = "q",
          .product_id = "p1",
          .position = 1,
          .quantity = 2,
          .unit_price = 10};
  if (type == EventType::kImpression) e.product_ids.assign(10, "p1");
  return e;
}

void Shop(BusinessMetrics* m, const std::string& user, const std::string& session, int64_t t,
          bool buys) {
  m->Apply(Make(EventType::kSearch, user, session, t));
  m->Apply(Make(EventType::kImpression, user, session, t));
  if (!buys) return;
  m->Apply(Make(EventType::kClick, user, session, t + 1000));
  m->Apply(Make(EventType::kClick, user, session, t + 2000));
  m->Apply(Make(EventType::kAddToCart, user, session, t + 3000));
  m->Apply(Make(EventType::kPurchase, user, session, t + 4000));
}

TEST(BusinessMetricsTest, CountsRatesOfOneVariant) {
  BusinessMetrics m(TrafficSplit::Single("all"));
  Shop(&m, "u1", "s1", kT0 + 1000, /*buys=*/true);
  Shop(&m, "u2", "s2", kT0 + 2000, /*buys=*/false);
  const std::vector<VariantReport> reports = m.Report(kT0, kT0 + kDay);
  ASSERT_EQ(reports.size(), 1u);
  const VariantReport& r = reports[0];
  EXPECT_EQ(r.variant, "all");
  EXPECT_EQ(r.counts.searches, 2u);
  EXPECT_EQ(r.counts.impressions, 20u);
  EXPECT_EQ(r.counts.clicks, 2u);
  EXPECT_EQ(r.counts.units, 2u);
  EXPECT_DOUBLE_EQ(r.counts.revenue, 20);
  EXPECT_DOUBLE_EQ(r.click_through.estimate, 0.1);
  EXPECT_DOUBLE_EQ(r.conversion.estimate, 0.5);
  EXPECT_DOUBLE_EQ(r.add_to_cart.estimate, 0.5);
  EXPECT_DOUBLE_EQ(r.revenue_per_search, 10);
  EXPECT_LT(r.conversion.low, 0.5);
  EXPECT_GT(r.conversion.high, 0.5);
  EXPECT_EQ(r.counts.active_users, 2u);
  EXPECT_EQ(r.counts.returning_users, 0u);
  // Nothing happened the day before.
  EXPECT_EQ(m.Report(kT0 - kDay, kT0)[0].counts.searches, 0u);
}

TEST(BusinessMetricsTest, RepeatPurchasesAndReturningUsersPerWindow) {
  BusinessMetrics m(TrafficSplit::Single("all"));
  Shop(&m, "u1", "s1", kT0 + 1000, true);
  Shop(&m, "u2", "s2", kT0 + 1000, true);
  Shop(&m, "u1", "s3", kT0 + kDay + 1000, true);  // u1 comes back and buys again
  Shop(&m, "u3", "s4", kT0 + kDay + 5000, true);  // a new user
  const VariantReport day2 = m.Report(kT0 + kDay, kT0 + 2 * kDay)[0];
  EXPECT_EQ(day2.counts.active_users, 2u);
  EXPECT_EQ(day2.counts.returning_users, 1u);
  EXPECT_EQ(day2.counts.purchasing_users, 2u);
  EXPECT_EQ(day2.counts.repeat_purchasers, 1u);
  EXPECT_DOUBLE_EQ(day2.repeat_purchase.estimate, 0.5);
  const VariantReport both = m.Report(kT0, kT0 + 2 * kDay)[0];
  EXPECT_EQ(both.counts.active_users, 3u);
  EXPECT_EQ(both.counts.returning_users, 0u);  // nobody was active before the window
  EXPECT_EQ(both.counts.repeat_purchasers, 1u);
  EXPECT_EQ(both.counts.sessions, 4u);
}

TEST(BusinessMetricsTest, AttributesEventsToTheirUsersVariant) {
  absl::StatusOr<TrafficSplit> split = TrafficSplit::Create({{"a", 1}, {"b", 1}}, "exp");
  ASSERT_OK(split);
  std::vector<std::string> users_of[2];
  for (int u = 0; users_of[0].size() < 3 || users_of[1].size() < 3; ++u) {
    const std::string user = StrCat("u", u);
    users_of[split->VariantOf(user)].push_back(user);
  }
  BusinessMetrics m(*split);
  for (const std::string& user : users_of[0]) Shop(&m, user, "s", kT0, /*buys=*/false);
  for (const std::string& user : users_of[1]) Shop(&m, user, "s", kT0, /*buys=*/true);
  const std::vector<VariantReport> reports = m.Report(kT0, kT0 + kDay);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].variant, "a");
  EXPECT_EQ(reports[0].counts.sessions, users_of[0].size());
  EXPECT_DOUBLE_EQ(reports[0].conversion.estimate, 0);
  EXPECT_DOUBLE_EQ(reports[1].conversion.estimate, 1);
}

}  // namespace
}  // namespace souk::events
