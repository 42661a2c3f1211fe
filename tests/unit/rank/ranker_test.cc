#include "souk/rank/ranker.h"

#include <random>

#include "gtest/gtest.h"
#include "souk/rank/features.h"
#include "support/test_support.h"

namespace souk::rank {
namespace {

using ::souk::testing::StatusIs;

// A model over two columns of the feature table, labels following the first.
std::unique_ptr<LambdaMart> TrainOn(std::vector<std::string> names) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> uniform(0, 1);
  RankingData data;
  data.feature_names = std::move(names);
  for (int g = 0; g < 20; ++g) {
    data.group_sizes.push_back(10);
    for (int d = 0; d < 10; ++d) {
      const float x = uniform(rng);
      data.features.push_back(x);
      data.features.push_back(uniform(rng));
      data.labels.push_back(x > 0.7f ? 2 : x > 0.4f ? 1 : 0);
    }
  }
  LambdaMartOptions options;
  options.max_rounds = 20;
  options.threads = 1;
  auto model = LambdaMart::Train(data, {}, options);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *std::move(model) : nullptr;
}

// `rows` feature-table rows with random values.
std::vector<float> TableRows(size_t rows) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<float> uniform(0, 1);
  std::vector<float> table(rows * kNumFeatures);
  for (float& v : table) v = uniform(rng);
  return table;
}

TEST(RankerTest, ScoresTheModelsColumnsOfTableRows) {
  auto ranker = Ranker::Create(TrainOn({"idf_coverage", "bm25f"}));
  ASSERT_OK(ranker);
  const std::vector<float> table = TableRows(6);
  std::vector<float> selected;
  const size_t coverage = *FindFeature("idf_coverage"), bm25 = *FindFeature("bm25f");
  for (size_t r = 0; r < 6; ++r) {
    selected.push_back(table[r * kNumFeatures + coverage]);
    selected.push_back(table[r * kNumFeatures + bm25]);
  }
  auto scores = (*ranker)->Score(table);
  auto direct = (*ranker)->model().Score(selected);
  ASSERT_OK(scores);
  ASSERT_OK(direct);
  EXPECT_EQ(*scores, *direct);

  auto explained = (*ranker)->Explain(table);
  ASSERT_OK(explained);
  ASSERT_EQ(explained->size(), 6u);
  for (size_t r = 0; r < 6; ++r) {
    const std::vector<Contribution>& row = (*explained)[r];
    ASSERT_EQ(row.size(), 3u);
    EXPECT_EQ(row[0].feature, "idf_coverage");
    EXPECT_EQ(row[0].value, table[r * kNumFeatures + coverage]);
    EXPECT_EQ(row[2].feature, "bias");
    EXPECT_NEAR(row[0].contribution + row[1].contribution + row[2].contribution, (*scores)[r],
                1e-4);
  }
}

TEST(RankerTest, RefusesFeaturesThisBuildLacks) {
  std::unique_ptr<LambdaMart> model = TrainOn({"bm25f", "from_the_future"});
  ASSERT_NE(model, nullptr);
  souk::testing::TempDir dir;
  ASSERT_OK(model->Save(dir.File("ranker.json")));
  EXPECT_THAT(Ranker::Create(std::move(model)),
              StatusIs(absl::StatusCode::kFailedPrecondition, "'from_the_future'"));
  EXPECT_THAT(Ranker::Load(dir.File("ranker.json")),
              StatusIs(absl::StatusCode::kFailedPrecondition, "ranker.json"));
}

}  // namespace
}  // namespace souk::rank
