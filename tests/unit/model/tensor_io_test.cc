// Weights through a safetensors file and back: the reloaded model computes exactly what the
// saved one did.

#include "souk/model/tensor_io.h"

#include <torch/torch.h>

#include "souk/model/bert.h"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

BertConfig TinyConfig() {
  BertConfig c;
  c.vocab_size = 30;
  c.hidden_size = 16;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 24;
  return c;
}

TEST(TensorIoTest, SaveThenLoadGivesIdenticalOutputs) {
  TempDir dir;
  torch::manual_seed(11);
  BertModel saved(TinyConfig());
  saved->eval();
  ASSERT_OK(WriteTensors(dir.File("model.safetensors"), saved->NamedParameters()));

  auto weights = ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(weights);
  EXPECT_EQ(weights->size(), saved->NamedParameters().size());
  torch::manual_seed(99);  // different initial values, all overwritten by the load
  BertModel loaded(TinyConfig());
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

TEST(TensorIoTest, ACorruptWeightsFileIsAnErrorNamingIt) {
  TempDir dir;
  const std::string path = dir.WriteFile("model.safetensors", std::string("\x08\0\0\0", 4));
  EXPECT_THAT(ReadTensors(path), StatusIs(absl::StatusCode::kDataLoss, "model.safetensors"));
}

TEST(TensorIoTest, AnIntegerTensorIsNotWrittenAsWeights) {
  TempDir dir;
  EXPECT_THAT(WriteTensors(dir.File("w.safetensors"), {{"ids", torch::arange(4)}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "ids"));
}

}  // namespace
}  // namespace souk::model
