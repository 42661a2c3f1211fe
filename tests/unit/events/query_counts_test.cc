// QueryCounts: searches counted per folded query, decayed, with their distinct users, bounded;
// and the aggregates counting search events into them.

#include "souk/events/query_counts.h"

#include <algorithm>

#include "souk/events/aggregates.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

constexpr int64_t kHalfLife = 1000;

TEST(QueryCountsTest, CountsEachFoldedQueryAndItsUsers) {
  QueryCounts counts(kHalfLife, 100);
  counts.Add("USB Cable", "u1", 0);
  counts.Add("usb   cable ", "u2", 0);
  counts.Add("usb cable", "u2", 0);
  counts.Add("  ", "u3", 0);  // folds to nothing: not a query
  EXPECT_EQ(counts.size(), 1u);
  const std::vector<QueryCount> frequent = counts.Frequent(1, 0);
  ASSERT_EQ(frequent.size(), 1u);
  EXPECT_EQ(frequent[0].query, "usb cable");
  EXPECT_DOUBLE_EQ(frequent[0].count, 3);
  EXPECT_EQ(frequent[0].users, 2u);
}

TEST(QueryCountsTest, OnlyQueriesOfEnoughDistinctUsersAreFrequent) {
  QueryCounts counts(kHalfLife, 100);
  for (int i = 0; i < 5; ++i) counts.Add("order 12345", "one shopper", 0);
  counts.Add("garden hose", "a", 0);
  counts.Add("garden hose", "b", 0);
  ASSERT_EQ(counts.Frequent(2, 0).size(), 1u);
  EXPECT_EQ(counts.Frequent(2, 0)[0].query, "garden hose");
  EXPECT_EQ(counts.Frequent(1, 0).size(), 2u);
  EXPECT_TRUE(counts.Frequent(3, 0).empty());
}

TEST(QueryCountsTest, CountsDecayWithTheHalfLifeAndLateSearchesCountAsOfTheirTime) {
  QueryCounts counts(kHalfLife, 100);
  counts.Add("drill", "a", 0);
  EXPECT_DOUBLE_EQ(counts.Frequent(1, kHalfLife)[0].count, 0.5);
  EXPECT_DOUBLE_EQ(counts.Frequent(1, 2 * kHalfLife)[0].count, 0.25);
  counts.Add("drill", "b", 2 * kHalfLife);  // 0.25 + 1 as of 2000
  counts.Add("drill", "c", kHalfLife);      // late: worth 0.5 as of 2000
  EXPECT_DOUBLE_EQ(counts.Frequent(1, 2 * kHalfLife)[0].count, 1.75);
  EXPECT_DOUBLE_EQ(counts.Frequent(1, 3 * kHalfLife)[0].count, 0.875);
}

TEST(QueryCountsTest, DistinctUsersAreCountedUpToACap) {
  QueryCounts counts(kHalfLife, 100);
  for (int i = 0; i < 20; ++i) counts.Add("lamp", "user" + std::to_string(i), 0);
  EXPECT_EQ(counts.Frequent(1, 0)[0].users, QueryCounts::kMaxUsers);
  EXPECT_EQ(counts.Frequent(QueryCounts::kMaxUsers, 0).size(), 1u);
}

TEST(QueryCountsTest, ANewQueryBeyondTheBoundReplacesForgottenOnesOnly) {
  QueryCounts counts(kHalfLife, 2);
  counts.Add("a", "u", 0);
  counts.Add("b", "u", 0);
  counts.Add("c", "u", 0);  // full, and nothing forgotten yet: not counted
  EXPECT_EQ(counts.size(), 2u);
  counts.Add("b", "u", 10 * kHalfLife);  // b stays fresh
  counts.Add("d", "u", 10 * kHalfLife);  // a has decayed to 1/1024: dropped for d
  std::vector<std::string> kept;
  for (const QueryCount& q : counts.Frequent(1, 10 * kHalfLife)) kept.push_back(q.query);
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"b", "d"}));
}

TEST(QueryCountsTest, TheAggregatesCountSearchEventsOnly) {
  Aggregates aggregates(AggregateOptions{});
  aggregates.Apply(Event{.event_id = "e1",
                         .timestamp_ms = 5,
                         .user_id = "u1",
                         .type = EventType::kSearch,
                         .request_id = "r1",
                         .query = "Garden Hose"});
  aggregates.Apply(Event{.event_id = "e2",
                         .timestamp_ms = 6,
                         .user_id = "u1",
                         .type = EventType::kClick,
                         .request_id = "r1",
                         .product_id = "p1",
                         .position = 1});
  const std::vector<QueryCount> frequent = aggregates.queries().Frequent(1, 6);
  ASSERT_EQ(frequent.size(), 1u);
  EXPECT_EQ(frequent[0].query, "garden hose");
  EXPECT_EQ(frequent[0].users, 1u);
}

}  // namespace
}  // namespace souk::events
