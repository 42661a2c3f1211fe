#include "souk/encoder/sentiment_classifier.h"

#include <torch/torch.h>

#include <cmath>

#include "souk/base/check.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_config.h"
#include "souk/model/bert_heads.h"
#include "souk/model/tensor_io.h"
#include "support/test_support.h"

namespace souk::encoder {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::HasSubstr;

std::vector<std::string> Vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* w :
       {"great", "terrible", "battery", "screen", "the", "is", "very", "好", "差"}) {
    v.push_back(w);
  }
  return v;
}

model::BertConfig SmallConfig() {
  model::BertConfig c;
  c.vocab_size = 20;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 64;
  return c;
}

// A directory with a random BertForSequenceClassification of `labels` labels named by
// `id2label` (JSON; empty: none), and the module itself to compare with.
model::BertForSequenceClassification WriteClassifier(const std::string& dir, int64_t labels,
                                                     const std::string& id2label) {
  model::ServingConfig serving;
  serving.max_length = 16;
  SOUK_CHECK(WriteRandomModelDirectory(dir, SmallConfig(), serving, Vocab(), 3).ok());
  model::BertConfig config = SmallConfig();
  if (!id2label.empty()) config.extra["id2label"] = id2label;
  SOUK_CHECK(config.Save(StrCat(dir, "/", kConfigFile)).ok());
  torch::manual_seed(5);
  model::BertForSequenceClassification classifier(
      std::make_shared<model::BertForSequenceClassificationImpl>(config, labels));
  classifier->eval();
  SOUK_CHECK(
      model::WriteTensors(StrCat(dir, "/", kWeightsFile), classifier->NamedParameters()).ok());
  return classifier;
}

// What the classifier must say: softmax column `label` of the module's logits for one text.
float Expected(model::BertForSequenceClassification& classifier, const std::vector<int64_t>& ids,
               int64_t label) {
  torch::NoGradGuard no_grad;
  const torch::Tensor input = torch::tensor(ids, torch::kLong).unsqueeze(0);
  return torch::softmax(classifier->forward(input), 1)[0][label].item<float>();
}

std::unique_ptr<SentimentClassifier> LoadOrDie(const std::string& dir, size_t batch_size = 32) {
  SentimentOptions options;
  options.model_dir = dir;
  options.batch_size = batch_size;
  auto loaded = SentimentClassifier::Load(options);
  SOUK_CHECK(loaded.ok());
  return *std::move(loaded);
}

TEST(SentimentClassifierTest, ScoresAreTheSoftmaxOfThePositiveLabel) {
  TempDir dir;
  auto module = WriteClassifier(dir.path(), 2, R"({"0": "NEGATIVE", "1": "POSITIVE"})");
  auto classifier = LoadOrDie(dir.path());
  const std::vector<std::string> texts = {"great battery", "the screen is very terrible", "好"};
  auto scores = classifier->Score(texts);
  ASSERT_OK(scores);
  ASSERT_EQ(scores->size(), 3u);
  // [CLS]=2 ... [SEP]=3 with the vocabulary's ids.
  EXPECT_NEAR((*scores)[0], Expected(module, {2, 5, 7, 3}, 1), 1e-5);
  EXPECT_NEAR((*scores)[1], Expected(module, {2, 9, 8, 10, 11, 6, 3}, 1), 1e-5);
  EXPECT_NEAR((*scores)[2], Expected(module, {2, 12, 3}, 1), 1e-5);
}

TEST(SentimentClassifierTest, TheLabelNamedPositiveIsScoredWhereverItIs) {
  TempDir dir;
  auto module = WriteClassifier(dir.path(), 3, R"({"0": "pos", "1": "neutral", "2": "neg"})");
  const std::vector<std::string> texts = {"great battery"};
  auto scores = LoadOrDie(dir.path())->Score(texts);
  ASSERT_OK(scores);
  ASSERT_EQ(scores->size(), 1u);
  EXPECT_NEAR(scores->front(), Expected(module, {2, 5, 7, 3}, 0), 1e-5);
}

TEST(SentimentClassifierTest, BatchingAndPaddingDoNotChangeScores) {
  TempDir dir;
  WriteClassifier(dir.path(), 2, "");  // unnamed: label 1 is positive
  const std::vector<std::string> texts = {"great", "the battery is very great", "差", "", "screen"};
  auto together = LoadOrDie(dir.path(), 32)->Score(texts);
  auto in_pairs = LoadOrDie(dir.path(), 2)->Score(texts);
  ASSERT_OK(together);
  ASSERT_OK(in_pairs);
  ASSERT_EQ(together->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_NEAR((*together)[i], (*in_pairs)[i], 1e-5) << texts[i];
    EXPECT_GE((*together)[i], 0);
    EXPECT_LE((*together)[i], 1);
  }
  auto none = LoadOrDie(dir.path())->Score({});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST(SentimentClassifierTest, WhatIsNotASentimentModelIsNamed) {
  TempDir dir;
  model::ServingConfig serving;
  serving.max_length = 16;
  ASSERT_OK(WriteRandomModelDirectory(dir.File("encoder"), SmallConfig(), serving, Vocab(), 3));
  SentimentOptions options;
  options.model_dir = dir.File("encoder");
  EXPECT_THAT(SentimentClassifier::Load(options),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "no classifier.weight matrix: not a sequence classification model"));

  WriteClassifier(dir.File("three"), 3, R"({"0": "a", "1": "b", "2": "c"})");
  options.model_dir = dir.File("three");
  EXPECT_THAT(SentimentClassifier::Load(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, "3 labels and none named positive"));

  options.model_dir = dir.File("missing");
  EXPECT_THAT(SentimentClassifier::Load(options), StatusIs(absl::StatusCode::kNotFound, "missing"));
  options.model_dir = "";
  EXPECT_THAT(SentimentClassifier::Load(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "sentiment.model_dir"));
  options.model_dir = dir.File("three");
  options.threads = -1;
  EXPECT_THAT(SentimentClassifier::Load(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "sentiment.threads"));
}

}  // namespace
}  // namespace souk::encoder
