#include "souk/rank/lambdamart.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "gtest/gtest.h"
#include "support/test_support.h"

namespace souk::rank {
namespace {

using ::souk::testing::StatusIs;

// `groups` queries of 20 documents; the label (0..3) is a step function of feature "signal",
// "noise" is unrelated to it, and every fifth "signal" value is missing when `with_missing`.
RankingData MakeData(uint64_t seed, size_t groups, bool learnable = true) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(0, 1);
  RankingData data;
  data.feature_names = {"signal", "noise"};
  for (size_t g = 0; g < groups; ++g) {
    data.group_sizes.push_back(20);
    for (int d = 0; d < 20; ++d) {
      const float signal = uniform(rng);
      data.features.push_back(signal);
      data.features.push_back(uniform(rng));
      const float label = learnable ? std::floor(signal * 4) : std::floor(uniform(rng) * 4);
      data.labels.push_back(std::min(label, 3.0f));
    }
  }
  return data;
}

// Mean NDCG@10 of `scores` over the groups of `data`.
double MeanNdcg(const RankingData& data, const std::vector<float>& scores) {
  double total = 0;
  size_t begin = 0;
  for (uint32_t size : data.group_sizes) {
    std::vector<size_t> order(size);
    std::iota(order.begin(), order.end(), begin);
    std::vector<float> ideal(data.labels.begin() + begin, data.labels.begin() + begin + size);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    std::sort(ideal.rbegin(), ideal.rend());
    double dcg = 0, idcg = 0;
    for (size_t i = 0; i < std::min<size_t>(10, size); ++i) {
      dcg += (std::exp2(data.labels[order[i]]) - 1) / std::log2(i + 2.0);
      idcg += (std::exp2(ideal[i]) - 1) / std::log2(i + 2.0);
    }
    total += idcg > 0 ? dcg / idcg : 0;
    begin += size;
  }
  return total / data.group_sizes.size();
}

LambdaMartOptions SmallOptions() {
  LambdaMartOptions options;
  options.max_rounds = 60;
  options.early_stopping_rounds = 10;
  options.learning_rate = 0.3;
  options.threads = 1;
  return options;
}

TEST(LambdaMartTest, LearnsTheSignalAndNamesItsFeatures) {
  const RankingData train = MakeData(1, 60), validation = MakeData(2, 20), test = MakeData(3, 30);
  std::vector<RoundMetrics> rounds;
  auto model = LambdaMart::Train(train, validation, SmallOptions(),
                                 [&](const RoundMetrics& m) { rounds.push_back(m); });
  ASSERT_OK(model);
  ASSERT_FALSE(rounds.empty());
  EXPECT_EQ(rounds.front().round, 1);
  EXPECT_GT(rounds.front().validation_ndcg, 0.0);
  EXPECT_GE((*model)->rounds(), 1);
  EXPECT_LE((*model)->rounds(), static_cast<int>(rounds.size()));
  EXPECT_EQ((*model)->feature_names(), train.feature_names);
  auto scores = (*model)->Score(test.features);
  ASSERT_OK(scores);
  ASSERT_EQ(scores->size(), test.rows());
  // Ranking by the learned scores is near the ideal; by the noise feature it is not.
  std::vector<float> noise;
  for (size_t r = 0; r < test.rows(); ++r) noise.push_back(test.features[r * 2 + 1]);
  EXPECT_GT(MeanNdcg(test, *scores), 0.97);
  EXPECT_LT(MeanNdcg(test, noise), 0.8);
}

TEST(LambdaMartTest, StopsEarlyWhenValidationStopsImproving) {
  LambdaMartOptions options = SmallOptions();
  options.max_rounds = 300;
  int seen = 0;
  auto model = LambdaMart::Train(MakeData(4, 40), MakeData(5, 20, /*learnable=*/false), options,
                                 [&](const RoundMetrics&) { ++seen; });
  ASSERT_OK(model);
  EXPECT_LT(seen, options.max_rounds);
  EXPECT_EQ(seen - (*model)->rounds(), options.early_stopping_rounds);
}

TEST(LambdaMartTest, WithoutEarlyStoppingEveryRoundIsKept) {
  LambdaMartOptions options = SmallOptions();
  options.max_rounds = 80;
  options.early_stopping_rounds = 0;
  int seen = 0;
  double last_validation = -1;
  auto model = LambdaMart::Train(MakeData(4, 40), MakeData(5, 20, /*learnable=*/false), options,
                                 [&](const RoundMetrics& m) {
                                   ++seen;
                                   last_validation = m.validation_ndcg;
                                 });
  ASSERT_OK(model);
  EXPECT_EQ(seen, 80);  // the data that stops the test above early
  EXPECT_EQ((*model)->rounds(), 80);
  EXPECT_GT(last_validation, 0.0);  // still evaluated and reported
  options.early_stopping_rounds = -1;
  EXPECT_THAT(LambdaMart::Train(MakeData(4, 40), {}, options),
              StatusIs(absl::StatusCode::kInvalidArgument, "early_stopping_rounds"));
}

TEST(LambdaMartTest, SaveLoadKeepsScoresAndNames) {
  const RankingData train = MakeData(6, 30), test = MakeData(7, 5);
  auto model = LambdaMart::Train(train, {}, SmallOptions());
  ASSERT_OK(model);
  EXPECT_EQ((*model)->rounds(), SmallOptions().max_rounds);  // no validation: every round
  souk::testing::TempDir dir;
  ASSERT_OK((*model)->Save(dir.File("ranker.json")));
  auto loaded = LambdaMart::Load(dir.File("ranker.json"));
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->feature_names(), train.feature_names);
  EXPECT_EQ((*loaded)->rounds(), (*model)->rounds());
  auto before = (*model)->Score(test.features);
  auto after = (*loaded)->Score(test.features);
  ASSERT_OK(before);
  ASSERT_OK(after);
  EXPECT_EQ(*before, *after);
}

TEST(LambdaMartTest, ContributionsAddUpToTheScore) {
  RankingData test = MakeData(9, 3);
  test.features[0] = std::nanf("");  // a missing value is routed, not an error
  auto model = LambdaMart::Train(MakeData(8, 30), {}, SmallOptions());
  ASSERT_OK(model);
  auto scores = (*model)->Score(test.features);
  auto contributions = (*model)->Contributions(test.features);
  ASSERT_OK(scores);
  ASSERT_OK(contributions);
  ASSERT_EQ(contributions->size(), test.rows() * 3);
  for (size_t r = 0; r < test.rows(); ++r) {
    const float sum =
        (*contributions)[r * 3] + (*contributions)[r * 3 + 1] + (*contributions)[r * 3 + 2];
    EXPECT_NEAR(sum, (*scores)[r], 1e-4) << "row " << r;
  }
}

// Groups that contradict each other: half label by "signal", half by its reverse. The weights
// decide which half the model follows.
TEST(LambdaMartTest, GroupWeightsDecideBetweenContradictingGroups) {
  const RankingData forward = MakeData(20, 30);
  RankingData both = forward;
  RankingData reverse = MakeData(21, 30);
  for (size_t row = 0; row < reverse.rows(); ++row) {
    reverse.labels[row] = std::min(3.0f, std::floor((1 - reverse.features[row * 2]) * 4));
  }
  both.features.insert(both.features.end(), reverse.features.begin(), reverse.features.end());
  both.labels.insert(both.labels.end(), reverse.labels.begin(), reverse.labels.end());
  both.group_sizes.insert(both.group_sizes.end(), reverse.group_sizes.begin(),
                          reverse.group_sizes.end());
  const auto train_with = [&](float forward_weight, float reverse_weight) {
    RankingData weighted = both;
    weighted.group_weights.assign(forward.group_sizes.size(), forward_weight);
    weighted.group_weights.resize(both.group_sizes.size(), reverse_weight);
    auto model = LambdaMart::Train(weighted, {}, SmallOptions());
    EXPECT_TRUE(model.ok()) << model.status();
    auto scores = (*model)->Score(forward.features);
    EXPECT_TRUE(scores.ok()) << scores.status();
    return MeanNdcg(forward, *scores);
  };
  EXPECT_GT(train_with(10, 1), 0.9);
  EXPECT_LT(train_with(1, 10), 0.6);
}

TEST(LambdaMartTest, RejectsBadInput) {
  RankingData data = MakeData(10, 2);
  data.labels[3] = -1;
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "row 3 has label -1"));
  data.labels[3] = 1.5;
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "levels 0..31"));
  data = MakeData(10, 2);
  data.group_sizes = {20, 19};
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "groups cover 39 rows"));
  data = MakeData(10, 2);
  data.group_weights = {1};
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "1 group weights for 2 groups"));
  data.group_weights = {1, 0};
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "group 1 has weight 0"));
  data = MakeData(10, 2);
  data.features.pop_back();
  EXPECT_THAT(LambdaMart::Train(data, {}, SmallOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, "feature values"));
  LambdaMartOptions options = SmallOptions();
  options.learning_rate = 0;
  EXPECT_THAT(LambdaMart::Train(MakeData(10, 2), {}, options),
              StatusIs(absl::StatusCode::kInvalidArgument, "learning_rate"));

  souk::testing::TempDir dir;
  const std::string junk = dir.WriteFile("junk.json", "{\"not\": \"a model\"}");
  EXPECT_THAT(LambdaMart::Load(junk), StatusIs(absl::StatusCode::kInvalidArgument, junk));
  EXPECT_FALSE(LambdaMart::Load(dir.File("missing.json")).ok());

  auto model = LambdaMart::Train(MakeData(11, 5), {}, SmallOptions());
  ASSERT_OK(model);
  EXPECT_THAT((*model)->Score(std::vector<float>{1, 2, 3}),
              StatusIs(absl::StatusCode::kInvalidArgument, "rows of 2 features"));
}

}  // namespace
}  // namespace souk::rank
