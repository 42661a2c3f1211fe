// Sentiment fine-tuning on toy reviews whose label a word decides: the held-out accuracy rises
// far above chance, the written directory is a classification model, a resumed run ends where
// an uninterrupted one does, and bad input stops with a clear error.

#include "souk/train/sentiment.h"

#include <torch/torch.h>

#include <fstream>
#include <iterator>

#include "nlohmann/json.hpp"
#include "pipeline_fixture.h"
#include "souk/base/check.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/sentiment_classifier.h"
#include "souk/model/bert_config.h"
#include "souk/model/tensor_io.h"
#include "souk/train/labeled_reviews.h"
#include "souk/train/pretrain.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

// A briefly pre-trained tiny model, shared by the tests (pre-training is tested elsewhere).
const std::string& PretrainedDir() {
  static TempDir* dir = [] {
    auto* d = new TempDir();
    PretrainOptions options = testing::TinyPretrainOptions(d->path());
    options.steps = 20;
    SOUK_CHECK(RunPretraining(options).ok());
    return d;
  }();
  return dir->path();
}

// Reviews in the toy shop's words: "<colour> <material> <kind>", positive for steel and wooden
// things, negative for cotton and plastic ones, each kind a category. Each text is written
// twice (with its label), as a review site repeats short reviews.
const std::string& ReviewsPath() {
  static TempDir* dir = new TempDir();
  static const std::string path = [] {
    std::string csv = "cat,label,review\n";
    for (const char* kind : {"hammer", "shirt", "chair", "bucket", "lamp", "kettle", "drill",
                             "pillow", "ladder", "blanket"}) {
      for (const char* colour : {"red", "blue", "green", "black", "white", "yellow"}) {
        for (const char* material : {"steel", "cotton", "wooden", "plastic"}) {
          const std::string_view m(material);
          const int label = m == "steel" || m == "wooden" ? 1 : 0;
          for (int copy = 0; copy < 2; ++copy) {
            csv += StrCat(kind, ",", label, ",", colour, " ", material, " ", kind, "\n");
          }
        }
      }
    }
    return dir->WriteFile("reviews.csv", csv);
  }();
  return path;
}

SentimentOptions TinyOptions(const std::string& out_dir) {
  SentimentOptions options;
  options.reviews = {ReviewsPath()};
  options.base_model_dir = PretrainedDir();
  options.out_dir = out_dir;
  options.max_length = 16;
  options.batch_size = 16;
  options.epochs = 4;
  options.optimizer.learning_rate = 3e-3;
  options.runtime.device = "cpu";
  options.runtime.threads = 1;
  options.runtime.plot = false;
  return options;
}

TEST(SentimentTest, LearnsTheWordThatDecidesTheLabel) {
  TempDir dir;
  auto result = RunSentimentTraining(TinyOptions(dir.path()));
  ASSERT_OK(result);
  EXPECT_TRUE(result->finished);
  EXPECT_EQ(result->train_reviews + result->heldout_reviews, 480);
  EXPECT_GT(result->heldout_reviews, 40);
  ASSERT_EQ(result->history.size(), 4u);
  EXPECT_GE(result->heldout_accuracy, 0.9);
  EXPECT_LT(result->history.back().train_loss, result->history.front().train_loss);
  ASSERT_EQ(result->categories.size(), 10u);
  int64_t counted = 0;
  for (const CategoryAccuracy& category : result->categories) counted += category.reviews;
  EXPECT_EQ(counted, result->heldout_reviews);

  std::ifstream eval_file(dir.File("eval.json"));
  const nlohmann::json eval = nlohmann::json::parse(eval_file);
  EXPECT_DOUBLE_EQ(eval["accuracy"].get<double>(), result->heldout_accuracy);
  EXPECT_EQ(eval["categories"].size(), 10u);
  EXPECT_EQ(eval["epochs"].size(), 4u);

  auto config = model::BertConfig::Load(dir.File("config.json"));
  ASSERT_OK(config);
  EXPECT_EQ(config->architectures, std::vector<std::string>{"BertForSequenceClassification"});
  EXPECT_EQ(nlohmann::json::parse(config->extra.at("id2label"))["1"], "positive");
  auto weights = model::ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(weights);
  ASSERT_TRUE(weights->count("classifier.weight"));
  EXPECT_EQ(weights->at("classifier.weight").size(0), 2);
  EXPECT_TRUE(weights->count("bert.pooler.dense.weight"));
  EXPECT_FALSE(weights->count("cls.predictions.bias"));  // the masked-LM head is not carried
  EXPECT_TRUE(std::ifstream(dir.File("spiece.model")).good());

  // The server's classifier reads the directory and says what the model learned.
  auto classifier = encoder::SentimentClassifier::Load({.model_dir = dir.path()});
  ASSERT_OK(classifier);
  const std::vector<std::string> reviews = {"blue wooden ladder", "blue cotton ladder"};
  auto scores = (*classifier)->Score(reviews);
  ASSERT_OK(scores);
  EXPECT_GT((*scores)[0], 0.5);
  EXPECT_LT((*scores)[1], 0.5);
}

TEST(SentimentTest, ResumingGivesTheParametersOfAnUninterruptedRun) {
  TempDir whole_dir, split_dir;
  SentimentOptions whole = TinyOptions(whole_dir.path());
  whole.epochs = 1;
  ASSERT_OK(RunSentimentTraining(whole));

  SentimentOptions split = TinyOptions(split_dir.path());
  split.epochs = 1;
  split.runtime.stop_after_step = 5;
  auto first = RunSentimentTraining(split);
  ASSERT_OK(first);
  EXPECT_FALSE(first->finished);
  split.runtime.stop_after_step = 0;
  split.runtime.resume = true;
  auto second = RunSentimentTraining(split);
  ASSERT_OK(second);
  EXPECT_TRUE(second->finished);

  auto a = model::ReadTensors(whole_dir.File("model.safetensors"));
  auto b = model::ReadTensors(split_dir.File("model.safetensors"));
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_EQ(a->size(), b->size());
  for (const auto& [name, tensor] : *a) {
    ASSERT_TRUE(b->count(name)) << name;
    EXPECT_TRUE(torch::equal(tensor, b->at(name))) << name;
  }
}

TEST(SentimentTest, BadInputIsNamed) {
  TempDir dir;
  SentimentOptions options = TinyOptions(dir.path());
  options.epochs = 0;
  EXPECT_THAT(RunSentimentTraining(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "epochs"));

  options = TinyOptions(dir.path());
  options.base_model_dir = dir.File("no-model");
  EXPECT_THAT(RunSentimentTraining(options), StatusIs(absl::StatusCode::kNotFound, "no-model"));

  // One review: whichever side it falls on, the other is empty.
  options = TinyOptions(dir.path());
  options.reviews = {dir.WriteFile("one.csv", "cat,label,review\nlamp,1,red steel lamp\n")};
  EXPECT_THAT(RunSentimentTraining(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, "both sides need some"));

  options.reviews = {dir.WriteFile("bad.csv", "cat,label,review\nlamp,yes,red steel lamp\n")};
  EXPECT_THAT(RunSentimentTraining(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "bad.csv:2: label must be 0 or 1"));
}

}  // namespace
}  // namespace souk::train
