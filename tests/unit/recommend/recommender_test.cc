#include "souk/recommend/recommender.h"

#include "support/test_support.h"

namespace souk::recommend {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;

std::vector<std::string> Names(const Recommender& r, std::span<const ItemIndex> items) {
  std::vector<std::string> names;
  for (const ItemIndex item : items) names.push_back(r.items().Name(item));
  return names;
}

std::vector<std::string> Names(const Recommender& r, const std::vector<ScoredItem>& items) {
  std::vector<ItemIndex> indices;
  for (const ScoredItem& s : items) indices.push_back(s.item);
  return Names(r, indices);
}

RecommenderOptions Options(std::string interactions, std::string seqrec_model = "") {
  RecommenderOptions options;
  options.interactions = std::move(interactions);
  options.seqrec_model = std::move(seqrec_model);
  return options;
}

TEST(RecommenderTest, ServesHistoriesCoVisitationAndTrendingFromTheFile) {
  TempDir tmp;
  // Early on everybody bought a; lately b twice and c once. x is followed by y twice.
  const std::string file =
      tmp.WriteFile("i.txt", "u1 a\nu2 a\nu3 a\nu4 a\nu1 x\nu1 y\nu2 x\nu2 y\nu5 b\nu6 c\nu7 b\n");
  RecommenderOptions options = Options(file);
  options.trending_interactions = 3;
  auto loaded = Recommender::Load(options);
  ASSERT_OK(loaded);
  const Recommender& r = **loaded;
  EXPECT_FALSE(r.has_sequential_model());
  EXPECT_THAT(Names(r, r.History("u1")), ElementsAre("a", "x", "y"));
  EXPECT_TRUE(r.History("stranger").empty());

  const std::vector<ItemIndex> after_x = {r.items().Find("x")};
  EXPECT_EQ(Names(r, r.CoVisited(after_x, 1)), std::vector<std::string>{"y"});
  EXPECT_FALSE(r.Neighbors(r.items().Find("y")).empty());  // x, backward
  EXPECT_TRUE(r.Neighbors(0).empty());
  EXPECT_TRUE(r.Neighbors(1000).empty());
  auto sequential = r.Sequential(after_x, 5);
  ASSERT_OK(sequential);
  EXPECT_TRUE(sequential->empty());  // no model

  // Trending counts the newest three interactions only: b (2) before c (1); a is old news.
  EXPECT_EQ(Names(r, r.trending().Recommend({}, 2)), (std::vector<std::string>{"b", "c"}));
}

TEST(RecommenderTest, BasketsAddBoughtTogetherAndTheirOwnItems) {
  TempDir tmp;
  RecommenderOptions options = Options(tmp.WriteFile("i.txt", "u1 a\nu1 b\n"));
  // "filter" is in no history, only in baskets with "kettle".
  options.baskets = tmp.WriteFile("b.txt", "o1 kettle\no1 filter\no2 kettle\no2 filter\no3 a\n");
  auto loaded = Recommender::Load(options);
  ASSERT_OK(loaded);
  const Recommender& r = **loaded;
  const std::vector<ItemIndex> kettle = {r.items().Find("kettle")};
  ASSERT_NE(kettle[0], 0u);
  EXPECT_EQ(Names(r, r.BoughtWith(kettle, 3)), std::vector<std::string>{"filter"});
  // Items only the baskets name are still safe to ask about.
  EXPECT_TRUE(r.CoVisited(kettle, 3).empty());
  EXPECT_TRUE(r.Neighbors(kettle[0]).empty());
  EXPECT_EQ(r.trending().ranked().size(), r.items().size());
}

TEST(RecommenderTest, BadOptionsAndFilesAreNamed) {
  TempDir tmp;
  EXPECT_THAT(Recommender::Load(Options(tmp.File("missing.txt"))),
              StatusIs(absl::StatusCode::kNotFound, "missing.txt"));
  EXPECT_THAT(Recommender::Load(Options(tmp.WriteFile("i.txt", "u1 a\n"), tmp.File("no-model"))),
              StatusIs(absl::StatusCode::kNotFound, "no-model"));
  EXPECT_THAT(Options("", "m").Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "needs recommend.interactions"));
  RecommenderOptions no_trending = Options("i.txt");
  no_trending.trending_interactions = 0;
  EXPECT_THAT(no_trending.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "trending_interactions"));
  RecommenderOptions negative_threads = Options("i.txt");
  negative_threads.threads = -1;
  EXPECT_THAT(negative_threads.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "recommend.threads"));
  RecommenderOptions bad_window;
  bad_window.covisitation.window = 0;
  EXPECT_THAT(bad_window.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "recommend.covisitation"));
}

}  // namespace
}  // namespace souk::recommend
