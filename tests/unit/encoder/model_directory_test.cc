// Weights through a safetensors file and back: the reloaded model computes exactly what the
// saved one did.

#include <torch/torch.h>

#include "model_directory_internal.h"
#include "support/test_support.h"

namespace souk::encoder::internal {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

model::BertConfig TinyConfig() {
  model::BertConfig c;
  c.vocab_size = 30;
  c.hidden_size = 16;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 24;
  return c;
}

TEST(ModelDirectoryTest, SaveThenLoadGivesIdenticalOutputs) {
  TempDir dir;
  torch::manual_seed(11);
  model::BertModel saved(TinyConfig());
  saved->eval();
  ASSERT_OK(WriteWeights(dir.File("model.safetensors"), saved));

  auto weights = ReadWeights(dir.File("model.safetensors"));
  ASSERT_OK(weights);
  EXPECT_EQ(weights->size(), saved->NamedParameters().size());
  torch::manual_seed(99);  // different initial values, all overwritten by the load
  model::BertModel loaded(TinyConfig());
  loaded->eval();
  ASSERT_OK(loaded->LoadStateDict(*weights, /*strict=*/true));

  torch::InferenceMode inference;
  const torch::Tensor ids = torch::tensor({{2, 7, 9, 11, 3}, {2, 5, 3, 0, 0}}, torch::kLong);
  const torch::Tensor mask = torch::tensor({{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}}, torch::kLong);
  auto a = saved->forward(ids, mask);
  auto b = loaded->forward(ids, mask);
  EXPECT_TRUE(torch::equal(a.last_hidden_state, b.last_hidden_state));
  EXPECT_TRUE(torch::equal(a.pooler_output, b.pooler_output));
}

TEST(ModelDirectoryTest, ACorruptWeightsFileIsAnErrorNamingIt) {
  TempDir dir;
  const std::string path = dir.WriteFile("model.safetensors", std::string("\x08\0\0\0", 4));
  EXPECT_THAT(ReadWeights(path), StatusIs(absl::StatusCode::kDataLoss, "model.safetensors"));
}

}  // namespace
}  // namespace souk::encoder::internal
