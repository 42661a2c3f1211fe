#include "souk/model/bert_config.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;

// config.json of a task model as transformers 4.x writes it (bert-base-chinese style keys).
constexpr char kHfConfig[] = R"({
  "_name_or_path": "bert-base-chinese",
  "architectures": ["BertForSequenceClassification"],
  "attention_probs_dropout_prob": 0.1,
  "classifier_dropout": null,
  "directionality": "bidi",
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "hidden_size": 768,
  "id2label": {"0": "neg", "1": "pos"},
  "initializer_range": 0.02,
  "intermediate_size": 3072,
  "label2id": {"neg": 0, "pos": 1},
  "layer_norm_eps": 1e-12,
  "max_position_embeddings": 512,
  "model_type": "bert",
  "num_attention_heads": 12,
  "num_hidden_layers": 12,
  "pad_token_id": 0,
  "pooler_fc_size": 768,
  "position_embedding_type": "absolute",
  "problem_type": "single_label_classification",
  "torch_dtype": "float32",
  "transformers_version": "4.30.2",
  "type_vocab_size": 2,
  "use_cache": true,
  "vocab_size": 21128
})";

TEST(BertConfigTest, ParsesAHuggingFaceConfig) {
  auto config = BertConfig::FromJson(kHfConfig, "config.json");
  ASSERT_OK(config);
  EXPECT_EQ(config->vocab_size, 21128);
  EXPECT_EQ(config->hidden_size, 768);
  EXPECT_EQ(config->num_hidden_layers, 12);
  EXPECT_EQ(config->head_dim(), 64);
  EXPECT_DOUBLE_EQ(config->layer_norm_eps, 1e-12);
  EXPECT_THAT(config->architectures, ElementsAre("BertForSequenceClassification"));
  EXPECT_EQ(config->extra.at("transformers_version"), "\"4.30.2\"");
  EXPECT_EQ(config->extra.at("id2label"), R"({"0":"neg","1":"pos"})");
  EXPECT_EQ(config->extra.at("classifier_dropout"), "null");
  EXPECT_FALSE(config->extra.contains("vocab_size"));
}

TEST(BertConfigTest, MissingKeysTakeTransformersDefaults) {
  auto config = BertConfig::FromJson(R"({"hidden_size": 64, "num_attention_heads": 4})", "c");
  ASSERT_OK(config);
  EXPECT_EQ(config->vocab_size, 30522);
  EXPECT_EQ(config->intermediate_size, 3072);
  EXPECT_EQ(config->max_position_embeddings, 512);
  EXPECT_EQ(config->hidden_act, "gelu");
  EXPECT_EQ(config->head_dim(), 16);
}

TEST(BertConfigTest, SaveAndLoadRoundTripKeepingExtraKeys) {
  TempDir dir;
  auto config = BertConfig::FromJson(kHfConfig, "config.json");
  ASSERT_OK(config);
  config->num_hidden_layers = 2;
  ASSERT_OK(config->Save(dir.File("config.json")));
  auto loaded = BertConfig::Load(dir.File("config.json"));
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->num_hidden_layers, 2);
  EXPECT_EQ(loaded->vocab_size, 21128);
  EXPECT_EQ(loaded->extra, config->extra);
  EXPECT_EQ(loaded->ToJson(), config->ToJson());
  // The written file is what transformers reads: every standard key present, sorted.
  const auto json = nlohmann::json::parse(config->ToJson());
  EXPECT_EQ(json.at("model_type"), "bert");
  EXPECT_EQ(json.at("hidden_act"), "gelu");
  EXPECT_EQ(json.at("id2label").at("1"), "pos");
  EXPECT_EQ(json.at("architectures").at(0), "BertForSequenceClassification");
}

TEST(BertConfigTest, DefaultConfigIsValidAndOmitsEmptyArchitectures) {
  const BertConfig config;
  EXPECT_OK(config.Validate());
  const auto json = nlohmann::json::parse(config.ToJson());
  EXPECT_FALSE(json.contains("architectures"));
  EXPECT_EQ(json.at("vocab_size"), 30522);
}

TEST(BertConfigTest, ErrorsNameTheSourceAndTheKey) {
  using Code = absl::StatusCode;
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {R"([1])", "c.json: not a JSON object"},
      {R"({"hidden_size": 770})",
       "c.json: hidden_size: (770) must be a multiple of num_attention_heads (12)"},
      {R"({"hidden_act": "gelu_new"})", "hidden_act: \"gelu_new\" is not supported"},
      {R"({"hidden_act": "relu"})", "hidden_act: \"relu\""},
      {R"({"hidden_size": "768"})", "hidden_size: expected an integer"},
      {R"({"hidden_size": 768.0})", "hidden_size: expected an integer"},
      {R"({"vocab_size": 0})", "vocab_size: must be positive, got 0"},
      {R"({"num_hidden_layers": -1})", "num_hidden_layers: must be >= 0, got -1"},
      {R"({"num_attention_heads": 0})", "num_attention_heads: must be positive"},
      {R"({"layer_norm_eps": 0})", "layer_norm_eps: must be positive"},
      {R"({"layer_norm_eps": "x"})", "layer_norm_eps: expected a number"},
      {R"({"hidden_dropout_prob": 1.0})", "hidden_dropout_prob: must be in [0, 1)"},
      {R"({"pad_token_id": 30522})", "pad_token_id: 30522 is outside the vocabulary"},
      {R"({"model_type": "roberta"})", "model_type: \"roberta\" is not supported"},
      {R"({"position_embedding_type": "relative_key"})",
       "position_embedding_type: \"relative_key\""},
      {R"({"is_decoder": true})", "is_decoder: true is not supported"},
      {R"({"add_cross_attention": true})", "add_cross_attention"},
      {R"({"architectures": "BertModel"})", "architectures: expected an array"},
      {R"({"vocab_size": 18446744073709551615})", "vocab_size: integer out of range"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(BertConfig::FromJson(c.json, "c.json"), StatusIs(Code::kInvalidArgument, c.message))
        << c.json;
  }
}

TEST(BertConfigTest, LoadReportsMissingFile) {
  TempDir dir;
  EXPECT_THAT(BertConfig::Load(dir.File("config.json")),
              StatusIs(absl::StatusCode::kNotFound, "config.json"));
}

}  // namespace
}  // namespace souk::model
