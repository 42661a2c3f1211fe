// Pooling token states into one embedding, and the token weights of weighted_mean pooling.

#include "souk/model/pooling.h"

#include <torch/torch.h>

#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;

BertModelOutput ThreeTokens() {
  BertModelOutput out;
  out.last_hidden_state = torch::tensor({{{1.0f, 0.0f}, {3.0f, 4.0f}, {100.0f, 100.0f}}});
  return out;
}

TEST(PoolingTest, MeanPoolingIgnoresPaddingAndNormalizes) {
  const BertModelOutput out = ThreeTokens();
  const torch::Tensor mask = torch::tensor({{1, 1, 0}});
  const torch::Tensor mean = PoolEmbeddings(out, mask, Pooling::kMean, /*normalize=*/false);
  EXPECT_TRUE(torch::allclose(mean, torch::tensor({{2.0f, 2.0f}})));
  const torch::Tensor unit = PoolEmbeddings(out, mask, Pooling::kMean, /*normalize=*/true);
  EXPECT_NEAR(unit.norm().item<float>(), 1.0f, 1e-6);
  const torch::Tensor cls = PoolEmbeddings(out, mask, Pooling::kCls, /*normalize=*/false);
  EXPECT_TRUE(torch::equal(cls, torch::tensor({{1.0f, 0.0f}})));
}

TEST(PoolingTest, WeightedMeanWeighsEachTokenByItsIdsWeight) {
  const BertModelOutput out = ThreeTokens();
  const torch::Tensor ids = torch::tensor({{4, 1, 0}}, torch::kLong);
  const torch::Tensor mask = torch::tensor({{1, 1, 0}});
  // Token 4 weighs 3, token 1 weighs 1; the padding token 0 would weigh 1000 but is masked.
  torch::Tensor log_weights = torch::zeros({5});
  log_weights[4] = std::log(3.0f);
  log_weights[0] = std::log(1000.0f);
  const torch::Tensor weights = TokenWeights(log_weights, ids, mask, /*distinct_tokens=*/false);
  EXPECT_TRUE(torch::allclose(weights, torch::tensor({{3.0f, 1.0f, 1000.0f}})));
  const torch::Tensor pooled =
      PoolEmbeddings(out, mask, Pooling::kWeightedMean, /*normalize=*/false, weights);
  // (3 * [1, 0] + 1 * [3, 4]) / 4
  EXPECT_TRUE(torch::allclose(pooled, torch::tensor({{1.5f, 1.0f}})));
}

TEST(PoolingTest, EqualTokenWeightsPoolAsTheMean) {
  const BertModelOutput out = ThreeTokens();
  const torch::Tensor ids = torch::tensor({{2, 3, 0}}, torch::kLong);
  const torch::Tensor mask = torch::tensor({{1, 1, 0}});
  const torch::Tensor weights = TokenWeights(torch::full({4}, 0.7f), ids, mask, false);
  EXPECT_TRUE(torch::allclose(
      PoolEmbeddings(out, mask, Pooling::kWeightedMean, /*normalize=*/true, weights),
      PoolEmbeddings(out, mask, Pooling::kMean, /*normalize=*/true)));
}

TEST(PoolingTest, DistinctTokensCountARepeatedTokenOnce) {
  // Token 5 three times, token 7 once, then padding (id 0, masked).
  const torch::Tensor ids = torch::tensor({{5, 7, 5, 5, 0}}, torch::kLong);
  const torch::Tensor mask = torch::tensor({{1, 1, 1, 1, 0}});
  torch::Tensor log_weights = torch::zeros({8});
  log_weights[7] = std::log(2.0f);
  EXPECT_TRUE(torch::allclose(TokenWeights(log_weights, ids, mask, /*distinct_tokens=*/true),
                              torch::tensor({{1.0f / 3, 2.0f, 1.0f / 3, 1.0f / 3, 1.0f}})));
  EXPECT_TRUE(torch::allclose(TokenWeights(log_weights, ids, mask, /*distinct_tokens=*/false),
                              torch::tensor({{1.0f, 2.0f, 1.0f, 1.0f, 1.0f}})));
  // With one state per token id (a bag of words), "5 7 5 5" pools as "5 7" does.
  BertModelOutput repeated;
  repeated.last_hidden_state =
      torch::tensor({{{1.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 0.0f}, {1.0f, 0.0f}, {9.0f, 9.0f}}});
  BertModelOutput once;
  once.last_hidden_state = torch::tensor({{{1.0f, 0.0f}, {0.0f, 1.0f}}});
  const torch::Tensor once_ids = torch::tensor({{5, 7}}, torch::kLong);
  const torch::Tensor once_mask = torch::ones({1, 2});
  EXPECT_TRUE(
      torch::allclose(PoolEmbeddings(repeated, mask, Pooling::kWeightedMean, /*normalize=*/true,
                                     TokenWeights(log_weights, ids, mask, true)),
                      PoolEmbeddings(once, once_mask, Pooling::kWeightedMean, /*normalize=*/true,
                                     TokenWeights(log_weights, once_ids, once_mask, false))));
}

TEST(PoolingTest, WeightedMeanIsDifferentiableInTheTokenWeights) {
  BertModelOutput out = ThreeTokens();
  torch::Tensor log_weights = torch::zeros({5}).requires_grad_(true);
  const torch::Tensor ids = torch::tensor({{4, 1, 2}}, torch::kLong);
  const torch::Tensor mask = torch::ones({1, 3});
  const torch::Tensor pooled =
      PoolEmbeddings(out, mask, Pooling::kWeightedMean,
                     /*normalize=*/false, TokenWeights(log_weights, ids, mask, false));
  pooled.select(1, 0).sum().backward();
  ASSERT_TRUE(log_weights.grad().defined());
  // Raising the weight of token 2 (state 100) raises the first coordinate; token 3 is unused.
  EXPECT_GT(log_weights.grad()[2].item<float>(), 0);
  EXPECT_EQ(log_weights.grad()[3].item<float>(), 0);
}

TEST(PoolingTest, TokenLogWeightsAreFoundByNameAndChecked) {
  std::map<std::string, torch::Tensor> weights{
      {"embeddings.word_embeddings.weight", torch::zeros({6, 2})}};
  auto absent = FindTokenLogWeights(weights, 6, "m/model.safetensors");
  ASSERT_OK(absent);
  EXPECT_FALSE(absent->defined());

  weights[kTokenLogWeightsTensor] = torch::arange(6, torch::kDouble);
  auto found = FindTokenLogWeights(weights, 6, "m/model.safetensors");
  ASSERT_OK(found);
  EXPECT_EQ(found->scalar_type(), torch::kFloat);
  EXPECT_EQ(found->size(0), 6);

  EXPECT_THAT(FindTokenLogWeights(weights, 8, "m/model.safetensors"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "m/model.safetensors"));
}

TEST(PoolingTest, ALengthPivotGivesProductsOneMoreComponentAndQueriesZero) {
  // Two product rows of one matching token state [1, 0] each, the second with two more
  // non-matching tokens: cosine alone divides the longer one by its whole length.
  BertModelOutput out;
  out.last_hidden_state =
      torch::tensor({{{1.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}},
                     {{1.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 0.0f}, {0.0f, 0.0f, 1.0f}}});
  const torch::Tensor mask = torch::tensor({{1, 0, 0}, {1, 1, 1}});
  const torch::Tensor weights = torch::tensor({{2.0f, 1.0f, 1.0f}, {2.0f, 1.0f, 1.0f}});
  const LengthPivot product{torch::tensor({std::log(4.0f)}), TextRole::kProduct};
  const torch::Tensor raw =
      PoolEmbeddings(out, mask, Pooling::kWeightedMean, /*normalize=*/false, weights, &product);
  ASSERT_EQ(raw.sizes(), (std::vector<int64_t>{2, 4}));
  // Rows are the weighted means with the pivot 4 over the summed weights (2, then 4).
  EXPECT_TRUE(
      torch::allclose(raw, torch::tensor({{1.0f, 0.0f, 0.0f, 2.0f}, {0.5f, 0.25f, 0.25f, 1.0f}})));
  // Normalized, a row is [sum_t w_t h_t, pivot] / norm: [2, 0, 0, 4] and [2, 1, 1, 4].
  const torch::Tensor unit =
      PoolEmbeddings(out, mask, Pooling::kWeightedMean, /*normalize=*/true, weights, &product);
  EXPECT_TRUE(torch::allclose(unit[0], torch::tensor({2.0f, 0.0f, 0.0f, 4.0f}) / std::sqrt(20.0f)));
  EXPECT_TRUE(torch::allclose(unit[1], torch::tensor({2.0f, 1.0f, 1.0f, 4.0f}) / std::sqrt(22.0f)));

  const LengthPivot query{product.log_pivot, TextRole::kQuery};
  const torch::Tensor q =
      PoolEmbeddings(out, mask, Pooling::kWeightedMean, /*normalize=*/true, weights, &query);
  EXPECT_TRUE(torch::allclose(q[0], torch::tensor({1.0f, 0.0f, 0.0f, 0.0f})));
  // The query [1, 0, 0] scores the longer product 2/sqrt(22) = 0.43 against 2/sqrt(20) = 0.45:
  // without the pivot it would be 2/sqrt(6) = 0.82 against 1.
  const torch::Tensor scores = torch::matmul(unit, q[0]);
  EXPECT_NEAR(scores[0].item<float>(), 2.0f / std::sqrt(20.0f), 1e-6);
  EXPECT_NEAR(scores[1].item<float>(), 2.0f / std::sqrt(22.0f), 1e-6);
}

TEST(PoolingTest, ALengthPivotIsFoundByNameAndChecked) {
  std::map<std::string, torch::Tensor> weights;
  auto absent = FindLogLengthPivot(weights, "m/model.safetensors");
  ASSERT_OK(absent);
  EXPECT_FALSE(absent->defined());
  weights[kLogLengthPivotTensor] = torch::tensor({1.5}, torch::kDouble);
  auto found = FindLogLengthPivot(weights, "m/model.safetensors");
  ASSERT_OK(found);
  EXPECT_EQ(found->scalar_type(), torch::kFloat);
  EXPECT_FLOAT_EQ(found->item<float>(), 1.5f);
  weights[kLogLengthPivotTensor] = torch::zeros({2});
  EXPECT_THAT(FindLogLengthPivot(weights, "m/model.safetensors"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "expected 1"));
}

}  // namespace
}  // namespace souk::model
