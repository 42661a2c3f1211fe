#include "souk/recommend/blend.h"

#include "support/test_support.h"

namespace souk::recommend {
namespace {

using ::souk::testing::StatusIs;

TEST(BlendByRankTest, ItemsInBothListsGainFromBoth) {
  // 5 is second in both lists: 2/(k+2) beats 7's and 9's single 1/(k+1).
  const std::vector<std::vector<ScoredItem>> lists = {{{7, 9.0f}, {5, 8.0f}},
                                                      {{9, 0.5f}, {5, 0.4f}, {3, 0.1f}}};
  const std::vector<ScoredItem> blended = BlendByRank(lists, 60);
  ASSERT_EQ(blended.size(), 4u);
  EXPECT_EQ(blended[0].item, 5u);
  EXPECT_FLOAT_EQ(blended[0].score, 2.0f / 62.0f);
  EXPECT_EQ(blended[1].item, 7u);  // tied with 9 at 1/61: the smaller index first
  EXPECT_EQ(blended[2].item, 9u);
  EXPECT_EQ(blended[3].item, 3u);
}

TEST(BlendByRankTest, ASmallKFavoursTheTopRanks) {
  // 1 is first in one list, 2 third in both: k decides between one top rank and agreement.
  const std::vector<std::vector<ScoredItem>> lists = {{{1, 1}, {4, 1}, {2, 1}},
                                                      {{3, 1}, {5, 1}, {2, 1}}};
  EXPECT_EQ(BlendByRank(lists, 0.1)[0].item, 1u);  // 1/1.1 > 2/3.1
  EXPECT_EQ(BlendByRank(lists, 60)[0].item, 2u);   // 2/63 > 1/61
}

TEST(BlendByRankTest, NoListsNoItems) { EXPECT_TRUE(BlendByRank({}, 60).empty()); }

TEST(BlendOptionsTest, RejectsBadValues) {
  EXPECT_TRUE(BlendOptions{}.Validate().ok());
  EXPECT_THAT(BlendOptions{.rrf_k = 0}.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "must be"));
  EXPECT_THAT(BlendOptions{.depth = 0}.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "must be"));
}

}  // namespace
}  // namespace souk::recommend
