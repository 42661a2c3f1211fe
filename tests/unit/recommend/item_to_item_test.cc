#include "souk/recommend/item_to_item.h"

#include <cmath>

#include "support/test_support.h"

namespace souk::recommend {
namespace {

using ::souk::testing::StatusIs;

std::vector<UserHistory> Users(std::vector<std::vector<ItemIndex>> histories) {
  std::vector<UserHistory> users;
  for (size_t i = 0; i < histories.size(); ++i) {
    users.push_back({"u" + std::to_string(i), std::move(histories[i])});
  }
  return users;
}

std::vector<ItemIndex> ItemsOf(const std::vector<ScoredItem>& scored) {
  std::vector<ItemIndex> items;
  for (const ScoredItem& s : scored) items.push_back(s.item);
  return items;
}

TEST(PopularityTest, MostNamedFirstOutsideTheHistory) {
  const auto users = Users({{3, 1, 3}, {3, 2}, {1}});
  const Popularity popularity = Popularity::Build(users, 4);
  const std::vector<ScoredItem> top = popularity.Recommend({}, 10);
  EXPECT_EQ(ItemsOf(top), (std::vector<ItemIndex>{3, 1, 2, 4}));  // 4 was never named: last
  EXPECT_EQ(top[0].score, 3.0f);
  const std::vector<ItemIndex> history = {3};
  EXPECT_EQ(ItemsOf(popularity.Recommend(history, 2)), (std::vector<ItemIndex>{1, 2}));
}

TEST(CoVisitationTest, CountsNeighboursByDistanceAndDirection) {
  // One history 1 2 3, window 2: 2 follows 1 at distance 1, 3 at 2; backward half as much.
  const CoVisitation c =
      CoVisitation::Build(Users({{1, 2, 3}}), 3, {.window = 2, .backward_weight = 0.5f});
  const auto n1 = c.Neighbors(1);
  ASSERT_EQ(n1.size(), 2u);
  EXPECT_EQ(n1[0].item, 2u);
  EXPECT_FLOAT_EQ(n1[0].score, 1.0f);
  EXPECT_EQ(n1[1].item, 3u);
  EXPECT_FLOAT_EQ(n1[1].score, 0.5f);
  const auto n3 = c.Neighbors(3);  // both precede 3: backward weights
  ASSERT_EQ(n3.size(), 2u);
  EXPECT_EQ(n3[0].item, 2u);
  EXPECT_FLOAT_EQ(n3[0].score, 0.5f);
  EXPECT_FLOAT_EQ(n3[1].score, 0.25f);
}

TEST(CoVisitationTest, MarkovIsTheMostFrequentSuccessorOfTheLastItem) {
  const auto users = Users({{1, 2}, {1, 2}, {1, 3}, {4, 1}, {5, 5, 5}});
  const CoVisitation markov = CoVisitation::Build(users, 5, CoVisitationOptions::Markov());
  const std::vector<ItemIndex> history = {4, 1};
  const std::vector<ScoredItem> top = markov.Recommend(history, 4);
  // 2 (twice) then 3 (once) follow 1; popularity fills up, skipping the history's 4 and 1.
  EXPECT_EQ(ItemsOf(top), (std::vector<ItemIndex>{2, 3, 5}));
  EXPECT_FLOAT_EQ(top[0].score, 2.0f);
  EXPECT_TRUE(markov.Neighbors(5).empty());  // an item never follows itself
}

TEST(CoVisitationTest, NewerHistoryItemsWeighMoreAndHistoryItemsAreNeverRecommended) {
  // 10 follows 1, 20 follows 2; a history ending in 2 prefers 20, one ending in 1 prefers 10.
  const auto users = Users({{1, 10}, {2, 20}});
  const CoVisitation c = CoVisitation::Build(
      users, 20, {.window = 1, .backward_weight = 0, .history_items = 2, .recency_decay = 0.5f});
  const std::vector<ItemIndex> ends_in_2 = {1, 2};
  const std::vector<ItemIndex> ends_in_1 = {2, 1};
  EXPECT_EQ(c.Recommend(ends_in_2, 2)[0].item, 20u);
  EXPECT_FLOAT_EQ(c.Recommend(ends_in_2, 2)[1].score, 0.5f);
  EXPECT_EQ(c.Recommend(ends_in_1, 2)[0].item, 10u);
  const std::vector<ItemIndex> has_10 = {1, 10};
  for (const ScoredItem& s : c.Recommend(has_10, 20)) {
    EXPECT_NE(s.item, 1u);
    EXPECT_NE(s.item, 10u);
  }
  EXPECT_EQ(c.Recommend({}, 3).size(), 3u);  // an empty history: popularity alone
}

TEST(CoVisitationTest, RanksGivenCandidatesInRecommendsOrder) {
  // After 1: 2 twice, 3 once. 5 is popular but no neighbour; 4 is in the history.
  const auto users = Users({{1, 2}, {1, 2}, {1, 3}, {4, 1}, {5, 5, 5}});
  const CoVisitation markov = CoVisitation::Build(users, 5, CoVisitationOptions::Markov());
  const std::vector<ItemIndex> history = {4, 1};
  const std::vector<ItemIndex> candidates = {4, 5, 3, 2};
  EXPECT_EQ(ItemsOf(markov.Rank(history, candidates)), (std::vector<ItemIndex>{2, 3, 5, 4}));
  const Popularity popularity = Popularity::Build(users, 5);
  EXPECT_EQ(ItemsOf(popularity.Rank(history, candidates)), (std::vector<ItemIndex>{5, 2, 3, 4}));
  const auto ranked = markov.Rank(history, candidates);
  EXPECT_GT(ranked[1].score, 0.0f);  // 3 is a neighbour
  EXPECT_EQ(ranked[2].score, 0.0f);  // 5 is not
}

TEST(CoVisitationTest, CoVisitedLeavesPopularityOut) {
  const auto users = Users({{1, 2}, {1, 2}, {1, 3}, {5, 5, 5}});
  const CoVisitation markov = CoVisitation::Build(users, 5, CoVisitationOptions::Markov());
  const std::vector<ItemIndex> history = {1};
  EXPECT_EQ(ItemsOf(markov.CoVisited(history, 10)), (std::vector<ItemIndex>{2, 3}));
  EXPECT_EQ(ItemsOf(markov.CoVisited(history, 1)), (std::vector<ItemIndex>{2}));
  EXPECT_EQ(markov.Recommend(history, 10).size(), 4u);  // 5 and 4 fill up
  EXPECT_TRUE(markov.CoVisited({}, 10).empty());
}

TEST(BoughtTogetherTest, PairsSharingBasketsScoreByCosine) {
  // 1 and 2 share three baskets; 3 is in every basket, a bestseller; 4 and 5 share one.
  const auto baskets = Users({{1, 2, 3}, {1, 2, 3}, {2, 1, 1, 3}, {3, 4, 5}, {3}});
  const BoughtTogether b = BoughtTogether::Build(baskets, 5, {});
  const auto with_1 = b.With(1);
  ASSERT_EQ(with_1.size(), 2u);
  EXPECT_EQ(with_1[0].item, 2u);
  EXPECT_FLOAT_EQ(with_1[0].score, 1.0f);                     // 3 / sqrt(3 x 3)
  EXPECT_FLOAT_EQ(with_1[1].score, 3.0f / std::sqrt(15.0f));  // 3 is in 5 baskets
  EXPECT_TRUE(b.With(4).empty());  // one shared basket is below min_baskets
  EXPECT_TRUE(b.With(0).empty());
  EXPECT_TRUE(b.With(9).empty());
  const std::vector<ItemIndex> cart = {1, 3};
  EXPECT_EQ(ItemsOf(b.WithAll(cart, 5)), (std::vector<ItemIndex>{2}));
  // Baskets over max_basket_items teach nothing.
  const BoughtTogether small = BoughtTogether::Build(baskets, 5, {.max_basket_items = 2});
  EXPECT_TRUE(small.With(1).empty());
  EXPECT_FALSE(BoughtTogetherOptions{.min_baskets = 0}.Validate().ok());
}

TEST(CoVisitationTest, OptionsAreChecked) {
  EXPECT_OK(CoVisitationOptions{}.Validate());
  EXPECT_OK(CoVisitationOptions::Markov().Validate());
  EXPECT_THAT((CoVisitationOptions{.window = 0}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "window"));
  EXPECT_THAT((CoVisitationOptions{.forward_weight = 0, .backward_weight = 0}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "weights"));
  EXPECT_THAT((CoVisitationOptions{.recency_decay = 0}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "recency_decay"));
}

}  // namespace
}  // namespace souk::recommend
