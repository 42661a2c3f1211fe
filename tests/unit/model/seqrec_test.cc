// The sequential recommender's module, its config and its loaded face.
#include "souk/model/seqrec.h"

#include <torch/torch.h>

#include <limits>

#include "souk/base/file_util.h"
#include "souk/model/seqrec_model.h"
#include "souk/model/tensor_io.h"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

SeqRecConfig SmallConfig() {
  SeqRecConfig c;
  c.num_items = 30;
  c.hidden_size = 16;
  c.num_layers = 2;
  c.num_heads = 2;
  c.max_length = 8;
  c.dropout = 0.1;
  c.initializer_range = 0.2;  // large enough that attention patterns matter
  return c;
}

SasRec EvalModel() {
  torch::manual_seed(7);
  SasRec net(SmallConfig());
  net->eval();
  return net;
}

torch::Tensor Ids(std::vector<int64_t> ids) {
  return torch::tensor(ids, torch::kLong).unsqueeze(0);
}

TEST(SasRecTest, AStateReadsOnlyItsItemAndEarlierOnes) {
  SasRec net = EvalModel();
  torch::NoGradGuard no_grad;
  const torch::Tensor a = net->forward(Ids({3, 5, 7, 9}));
  const torch::Tensor b = net->forward(Ids({3, 5, 11, 2}));
  EXPECT_TRUE(torch::allclose(a.narrow(1, 0, 2), b.narrow(1, 0, 2), 1e-5, 1e-6));
  EXPECT_FALSE(torch::allclose(a.narrow(1, 2, 1), b.narrow(1, 2, 1), 1e-3, 1e-3));
}

TEST(SasRecTest, LeftPaddingChangesNothing) {
  SasRec net = EvalModel();
  torch::NoGradGuard no_grad;
  const torch::Tensor short_input = net->forward(Ids({4, 8, 15}));
  const torch::Tensor padded = net->forward(Ids({0, 0, 0, 4, 8, 15}));
  EXPECT_TRUE(torch::allclose(short_input, padded.narrow(1, 3, 3), 1e-5, 1e-6));
}

TEST(SasRecTest, NextItemScoresCoverEveryItemAndExcludeTheHistory) {
  SasRec net = EvalModel();
  torch::NoGradGuard no_grad;
  const std::vector<std::vector<uint32_t>> histories = {{1, 2, 3}, {}, {30}};
  const torch::Tensor scores = ScoreNextItems(*net, histories, torch::kCPU);
  ASSERT_EQ(scores.sizes(), (std::vector<int64_t>{3, 30}));
  const float minus_infinity = -std::numeric_limits<float>::infinity();
  for (int64_t item : {1, 2, 3}) EXPECT_EQ(scores[0][item - 1].item<float>(), minus_infinity);
  EXPECT_TRUE(torch::isfinite(scores[0].narrow(0, 3, 27)).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(scores[1]).all().item<bool>());  // no history: nothing excluded
  EXPECT_EQ(scores[2][29].item<float>(), minus_infinity);
  // The last state's dot products with the item embeddings.
  const torch::Tensor state = net->forward(Ids({1, 2, 3})).select(1, 2);
  EXPECT_TRUE(torch::allclose(net->Scores(state)[0].narrow(0, 3, 27), scores[0].narrow(0, 3, 27),
                              1e-5, 1e-6));
}

TEST(SasRecTest, HistoriesLongerThanMaxLengthKeepTheirNewestItems) {
  const torch::Tensor ids = PadHistories(
      std::vector<std::vector<uint32_t>>{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {5}}, 8, torch::kCPU);
  ASSERT_EQ(ids.sizes(), (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(ids[0][0].item<int64_t>(), 3);
  EXPECT_EQ(ids[0][7].item<int64_t>(), 10);
  EXPECT_EQ(ids[1][6].item<int64_t>(), 0);
  EXPECT_EQ(ids[1][7].item<int64_t>(), 5);
}

TEST(SasRecTest, TensorsLoadByNameAndBadOnesAreNamed) {
  SasRec source = EvalModel();
  torch::manual_seed(99);
  SasRec copy(SmallConfig());
  copy->eval();
  ASSERT_OK(copy->LoadTensors(source->NamedParameters()));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(copy->forward(Ids({2, 4})), source->forward(Ids({2, 4}))));

  std::map<std::string, torch::Tensor> tensors = source->NamedParameters();
  EXPECT_TRUE(tensors.contains("item_embeddings.weight"));
  EXPECT_TRUE(tensors.contains("blocks.1.qkv.weight"));
  EXPECT_TRUE(tensors.contains("final_norm.bias"));
  auto extra = tensors;
  extra["head.weight"] = torch::zeros({2});
  EXPECT_THAT(copy->LoadTensors(extra),
              StatusIs(absl::StatusCode::kInvalidArgument, "unexpected tensor 'head.weight'"));
  auto wrong = tensors;
  wrong["final_norm.bias"] = torch::zeros({3});
  EXPECT_THAT(copy->LoadTensors(wrong),
              StatusIs(absl::StatusCode::kInvalidArgument, "'final_norm.bias' has shape [3]"));
  auto missing = tensors;
  missing.erase("position_embeddings.weight");
  EXPECT_THAT(copy->LoadTensors(missing),
              StatusIs(absl::StatusCode::kInvalidArgument, "position_embeddings.weight"));
}

TEST(SeqRecConfigTest, JsonRoundTripsAndBadKeysAreNamed) {
  const SeqRecConfig c = SmallConfig();
  auto again = SeqRecConfig::FromJson(c.ToJson(), "config.json");
  ASSERT_OK(again);
  EXPECT_EQ(again->num_items, 30);
  EXPECT_EQ(again->hidden_size, 16);
  EXPECT_EQ(again->max_length, 8);
  EXPECT_DOUBLE_EQ(again->dropout, 0.1);
  EXPECT_THAT(SeqRecConfig::FromJson(R"({"model_type": "bert", "num_items": 3})", "c.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, "c.json: model_type"));
  EXPECT_THAT(SeqRecConfig::FromJson(R"({"num_items": 3})", "c.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, "no model_type"));
  EXPECT_THAT(
      SeqRecConfig::FromJson(R"({"model_type": "souk_sasrec", "num_items": 3, "wide": 1})", "c"),
      StatusIs(absl::StatusCode::kInvalidArgument, "wide: unknown key"));
  EXPECT_THAT(SeqRecConfig::FromJson(R"({"model_type": "souk_sasrec", "num_items": 0})", "c"),
              StatusIs(absl::StatusCode::kInvalidArgument, "num_items: must be positive"));
  SeqRecConfig odd = SmallConfig();
  odd.num_heads = 3;
  EXPECT_THAT(odd.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "num_heads"));
  odd = SmallConfig();
  odd.dropout = 1;
  EXPECT_THAT(odd.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "dropout"));
}

TEST(SeqRecModelTest, LoadsADirectoryAndRanksUnseenItems) {
  TempDir tmp;
  SasRec source = EvalModel();
  ASSERT_OK(SmallConfig().Save(tmp.File(kSeqRecConfigFile)));
  ASSERT_OK(WriteTensors(tmp.File(kSeqRecWeightsFile), source->NamedParameters()));
  auto model = SeqRecModel::Load(tmp.path());
  ASSERT_OK(model);
  const std::vector<std::vector<uint32_t>> histories = {{1, 2, 3}, {}};
  auto top = (*model)->TopK(histories, 40);
  ASSERT_OK(top);
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[0].size(), 27u);  // every item but the history's three
  EXPECT_EQ((*top)[1].size(), 30u);
  for (size_t i = 1; i < (*top)[0].size(); ++i) {
    EXPECT_GE((*top)[0][i - 1].score, (*top)[0][i].score);
    EXPECT_GT((*top)[0][i].item, 3u);
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = ScoreNextItems(*source, histories, torch::kCPU);
  EXPECT_EQ((*top)[0][0].item, expected[0].argmax().item<int64_t>() + 1);
  EXPECT_THAT((*model)->TopK(std::vector<std::vector<uint32_t>>{{31}}, 5),
              StatusIs(absl::StatusCode::kInvalidArgument, "item id 31 is outside"));
  EXPECT_THAT(SeqRecModel::Load(tmp.File("nothing")), StatusIs(absl::StatusCode::kNotFound, ""));
}

}  // namespace
}  // namespace souk::model
