#include "souk/events/traffic_split.h"

#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

using ::souk::testing::StatusIs;

TEST(TrafficSplitTest, SharesTrafficByWeightAndKeepsEachUsersVariant) {
  absl::StatusOr<TrafficSplit> split =
      TrafficSplit::Create({{"control", 3}, {"ranker", 1}}, "exp-1");
  ASSERT_OK(split);
  std::vector<int> counts(2, 0);
  for (int u = 0; u < 40000; ++u) {
    const std::string user = StrCat("u", u);
    const size_t v = split->VariantOf(user);
    ASSERT_LT(v, 2u);
    ++counts[v];
    ASSERT_EQ(split->VariantOf(user), v);
  }
  // 75% / 25%, within sampling noise (sd of the share about 0.2%).
  EXPECT_NEAR(counts[0] / 40000.0, 0.75, 0.01);
  EXPECT_EQ(split->name(1), "ranker");
}

TEST(TrafficSplitTest, IsTheSameFunctionEverywhereAndTheSaltReshuffles) {
  absl::StatusOr<TrafficSplit> a = TrafficSplit::Create({{"a", 1}, {"b", 1}}, "salt");
  absl::StatusOr<TrafficSplit> b = TrafficSplit::Create({{"a", 1}, {"b", 1}}, "other");
  ASSERT_OK(a);
  ASSERT_OK(b);
  // FNV-1a of "salt\x1fu42" mod 10000, computed independently: running experiments keep
  // their users only while this stays fixed.
  EXPECT_EQ(a->BucketOf("u42"), 6283u);
  int moved = 0;
  for (int u = 0; u < 1000; ++u)
    moved += a->VariantOf(StrCat("u", u)) != b->VariantOf(StrCat("u", u));
  EXPECT_GT(moved, 350);  // about half change variant under a new salt
  EXPECT_LT(moved, 650);
  EXPECT_EQ(a->VariantOf(""), 0u);  // anonymous: the control
}

TEST(TrafficSplitTest, RefusesBadVariants) {
  EXPECT_THAT(TrafficSplit::Create({}, "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, "at least one"));
  EXPECT_THAT(TrafficSplit::Create({{"a", 1}, {"a", 2}}, "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, "variants[1].name: 'a' is used twice"));
  EXPECT_THAT(TrafficSplit::Create({{"a", 0}}, "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, "variants[0].weight"));
  EXPECT_THAT(TrafficSplit::Create({{"", 1}}, "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, "variants[0].name"));
  EXPECT_EQ(TrafficSplit::Single("only").VariantOf("anyone"), 0u);
}

}  // namespace
}  // namespace souk::events
