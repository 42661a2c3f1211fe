// Masked-LM pre-training on a toy corpus: the loss falls, an interrupted and resumed run ends
// with exactly the parameters of an uninterrupted one, the model serves through the encoder,
// and bad input stops with a clear error.

#include "souk/train/pretrain.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "pipeline_fixture.h"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/model/tensor_io.h"
#include "souk/train/tokenizer_training.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using testing::ToyShop;

PretrainOptions TinyOptions(const std::string& out_dir) {
  PretrainOptions options = testing::TinyPretrainOptions(out_dir);
  options.runtime.log_every = 5;
  options.runtime.checkpoint_every = 1000;
  return options;
}

// The "train" lines of a metrics.jsonl, in order.
std::vector<double> LoggedLosses(const std::string& path) {
  std::ifstream in(path);
  std::vector<double> losses;
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j["kind"] == "train") losses.push_back(j["loss"].get<double>());
  }
  return losses;
}

TEST(PretrainTest, LossFallsOnAToyCorpus) {
  TempDir dir;
  auto result = RunPretraining(TinyOptions(dir.path()));
  ASSERT_OK(result);
  EXPECT_EQ(result->steps, 60);
  EXPECT_TRUE(result->finished);
  const std::vector<double> losses = LoggedLosses(dir.File("metrics.jsonl"));
  ASSERT_EQ(losses.size(), 12u);
  // The vocabulary has 300 pieces: chance level is ln(300) = 5.7.
  EXPECT_GT(losses.front(), 4.5);
  EXPECT_LT(losses.back(), losses.front() - 1.5);
}

TEST(PretrainTest, ResumingGivesTheParametersOfAnUninterruptedRun) {
  TempDir whole_dir, split_dir;
  PretrainOptions whole = TinyOptions(whole_dir.path());
  whole.steps = 12;
  ASSERT_OK(RunPretraining(whole));

  PretrainOptions split = TinyOptions(split_dir.path());
  split.steps = 12;
  split.runtime.stop_after_step = 5;
  auto first = RunPretraining(split);
  ASSERT_OK(first);
  EXPECT_FALSE(first->finished);
  split.runtime.stop_after_step = 0;
  split.runtime.resume = true;
  auto second = RunPretraining(split);
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

TEST(PretrainTest, TheWrittenModelServesThroughTheEncoder) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.path());
  options.steps = 3;
  ASSERT_OK(RunPretraining(options));
  encoder::EncoderOptions encoder_options;
  encoder_options.model_dir = dir.path();
  auto encoder = encoder::TextEncoder::Create(encoder_options);
  ASSERT_OK(encoder);
  auto embedding = (*encoder)->Encode("red steel hammer");
  ASSERT_OK(embedding);
  EXPECT_EQ(embedding->size(), 32u);
  double norm = 0;
  for (float x : *embedding) norm += x * x;
  EXPECT_NEAR(norm, 1.0, 1e-4);
}

TEST(PretrainTest, ZeroStepsWritesTheInitializedModel) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.path());
  options.steps = 0;
  auto result = RunPretraining(options);
  ASSERT_OK(result);
  EXPECT_TRUE(result->finished);
  EXPECT_GT(result->parameters, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.File("checkpoint.pt")));
  encoder::EncoderOptions encoder_options;
  encoder_options.model_dir = dir.path();
  auto encoder = encoder::TextEncoder::Create(encoder_options);
  ASSERT_OK(encoder);
  EXPECT_OK((*encoder)->Encode("red steel hammer"));
}

// With position embeddings at zero the untrained encoder cannot tell word order: it is a bag of
// tokens. A random init tells the two orders apart.
TEST(PretrainTest, BagOfWordsInitIgnoresWordOrderBeforeTraining) {
  for (bool bag_of_words : {false, true}) {
    TempDir dir;
    PretrainOptions options = TinyOptions(dir.path());
    options.steps = 0;
    options.bag_of_words_init = bag_of_words;
    ASSERT_OK(RunPretraining(options));
    encoder::EncoderOptions encoder_options;
    encoder_options.model_dir = dir.path();
    auto encoder = encoder::TextEncoder::Create(encoder_options);
    ASSERT_OK(encoder);
    auto forward = (*encoder)->Encode("red steel hammer");
    auto backward = (*encoder)->Encode("hammer steel red");
    ASSERT_OK(forward);
    ASSERT_OK(backward);
    float max_difference = 0;
    for (size_t i = 0; i < forward->size(); ++i) {
      max_difference = std::max(max_difference, std::abs((*forward)[i] - (*backward)[i]));
    }
    if (bag_of_words) {
      EXPECT_LT(max_difference, 1e-5);
    } else {
      EXPECT_GT(max_difference, 1e-3);
    }
  }
}

TEST(PretrainTest, BagOfWordsInitIsForAFreshModel) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.File("out"));
  options.bag_of_words_init = true;
  options.init_model_dir = dir.File("some-model");
  EXPECT_THAT(RunPretraining(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "bag_of_words_init"));
}

TEST(PretrainTest, ANonFiniteLossStopsWithTheStepAndKeepsTheLastCheckpoint) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.path());
  options.optimizer.learning_rate = 1e30;  // the first update makes every weight huge
  options.optimizer.warmup_fraction = 0;
  options.optimizer.max_grad_norm = 0;
  options.runtime.checkpoint_every = 1;
  auto result = RunPretraining(options);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInternal, "at step"));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInternal, "checkpoint.pt"));
  EXPECT_TRUE(std::filesystem::exists(dir.File("checkpoint.pt")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("model.safetensors")));
}

TEST(PretrainTest, AnEmptyCorpusIsAnError) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.File("out"));
  options.corpus.catalogs.clear();
  options.corpus.text_files = {dir.WriteFile("empty.txt", "\n\n")};
  EXPECT_THAT(RunPretraining(options), StatusIs(absl::StatusCode::kFailedPrecondition, "empty"));
}

TEST(PretrainTest, WeightedMeanPoolingIsLeftToFineTuning) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.File("out"));
  options.serving.pooling = model::Pooling::kWeightedMean;
  EXPECT_THAT(RunPretraining(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "weighted_mean"));
}

TEST(PretrainTest, AnUnreadableCorpusFileIsNamed) {
  TempDir dir;
  PretrainOptions options = TinyOptions(dir.File("out"));
  options.corpus.catalogs = {dir.File("missing.jsonl")};
  auto result = RunPretraining(options);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()), ::testing::HasSubstr("missing.jsonl"));
}

TEST(TokenizerTrainingTest, WritesAModelTheEncoderCanLoad) {
  // The fixture trained it: check the file is there and a bad size is refused by name.
  EXPECT_TRUE(std::filesystem::exists(ToyShop::Get().tokenizer_dir + "/spiece.model"));
  TempDir dir;
  TokenizerTrainingOptions options;
  options.corpus.catalogs = {ToyShop::Get().catalog_path};
  options.out_dir = dir.path();
  options.vocab_size = 100000;
  EXPECT_THAT(TrainTokenizer(options), StatusIs(absl::StatusCode::kInvalidArgument, "vocab"));
}

TEST(TokenizerTrainingTest, AnAnalyzedWordModelGivesEachAnalyzedTermOneToken) {
  TempDir dir;
  TokenizerTrainingOptions options;
  options.corpus.catalogs = {ToyShop::Get().catalog_path};
  options.out_dir = dir.path();
  options.vocab_size = 25;  // 5 special pieces + the toy shop's 20 words
  options.model_type = text::SentencePieceModelType::kWord;
  options.analyzer = text::AnalyzerOptions{};
  options.threads = 1;
  ASSERT_OK(TrainTokenizer(options));
  EXPECT_TRUE(std::filesystem::exists(dir.File("tokenizer_config.json")));
  auto tokenizer = encoder::LoadTokenizer(dir.path());
  ASSERT_OK(tokenizer);
  EXPECT_EQ((*tokenizer)->Encode("Red HAMMERS", 8).ids, (*tokenizer)->Encode("red hammer", 8).ids);
  const std::vector<int64_t> ids = (*tokenizer)->Encode("wooden chairs", 8).ids;
  ASSERT_EQ(ids.size(), 4u) << "[CLS], one token per word, [SEP]";
  EXPECT_NE(ids[1], (*tokenizer)->unk_id());
  EXPECT_NE(ids[2], (*tokenizer)->unk_id());

  // Trained again without the analyzer, the directory no longer says it has one.
  options.analyzer.reset();
  options.model_type = text::SentencePieceModelType::kUnigram;
  options.vocab_size = 300;  // byte fallback takes 256 pieces
  ASSERT_OK(TrainTokenizer(options));
  EXPECT_FALSE(std::filesystem::exists(dir.File("tokenizer_config.json")));
  tokenizer = encoder::LoadTokenizer(dir.path());
  ASSERT_OK(tokenizer);
  EXPECT_NE((*tokenizer)->Encode("hammers", 32).ids, (*tokenizer)->Encode("hammer", 32).ids);
}

}  // namespace
}  // namespace souk::train
