#include "souk/model/serving_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/model/bert_config.h"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

TEST(ServingConfigTest, DefaultsAreClsNormalized128) {
  auto config = ServingConfig::FromJson("{}", "souk.json");
  ASSERT_OK(config);
  EXPECT_EQ(config->pooling, Pooling::kCls);
  EXPECT_TRUE(config->normalize);
  EXPECT_EQ(config->max_length, 128);
}

TEST(ServingConfigTest, ParsesEveryKey) {
  auto config = ServingConfig::FromJson(
      R"({"pooling": "mean", "normalize": false, "max_length": 64})", "souk.json");
  ASSERT_OK(config);
  EXPECT_EQ(config->pooling, Pooling::kMean);
  EXPECT_FALSE(config->normalize);
  EXPECT_EQ(config->max_length, 64);
  EXPECT_EQ(ServingConfig::FromJson(R"({"pooling": "pooler"})", "s")->pooling, Pooling::kPooler);
  EXPECT_EQ(ServingConfig::FromJson(R"({"pooling": "weighted_mean"})", "s")->pooling,
            Pooling::kWeightedMean);
  EXPECT_FALSE(config->distinct_tokens);
  EXPECT_TRUE(
      ServingConfig::FromJson(R"({"pooling": "weighted_mean", "distinct_tokens": true})", "s")
          ->distinct_tokens);
}

TEST(ServingConfigTest, PoolingNamesRoundTrip) {
  for (Pooling p : {Pooling::kCls, Pooling::kMean, Pooling::kPooler, Pooling::kWeightedMean}) {
    EXPECT_EQ(ParsePooling(PoolingName(p)), p);
  }
  EXPECT_EQ(ParsePooling("max"), std::nullopt);
  EXPECT_EQ(ParsePooling("CLS"), std::nullopt);
}

TEST(ServingConfigTest, SaveAndLoadRoundTrip) {
  TempDir dir;
  ServingConfig config;
  config.pooling = Pooling::kPooler;
  config.normalize = false;
  config.max_length = 256;
  ASSERT_OK(config.Save(dir.File("souk.json")));
  auto loaded = ServingConfig::Load(dir.File("souk.json"));
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->pooling, Pooling::kPooler);
  EXPECT_FALSE(loaded->normalize);
  EXPECT_EQ(loaded->max_length, 256);
  EXPECT_EQ(config.ToJson(),
            "{\n  \"distinct_tokens\": false,\n  \"length_pivot\": false,\n  \"max_length\": 256,\n"
            "  \"normalize\": false,\n  \"pooling\": \"pooler\"\n}\n");
  config.pooling = Pooling::kWeightedMean;
  config.distinct_tokens = true;
  config.normalize = true;
  config.length_pivot = true;
  ASSERT_OK(config.Save(dir.File("souk.json")));
  loaded = ServingConfig::Load(dir.File("souk.json"));
  ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->distinct_tokens);
  EXPECT_TRUE(loaded->length_pivot);
}

TEST(ServingConfigTest, ErrorsNameTheSourceAndTheKey) {
  using Code = absl::StatusCode;
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {"nope", "souk.json: not a JSON object"},
      {R"({"pooling": "max"})", "souk.json: pooling: \"max\" is not one of"},
      {R"({"pooling": 1})", "pooling: expected a string"},
      {R"({"normalize": "yes"})", "normalize: expected a boolean"},
      {R"({"max_length": 1.5})", "max_length: expected an integer"},
      {R"({"max_length": 1})", "max_length: must be at least 2"},
      {R"({"max_length": -4})", "max_length: must be at least 2"},
      {R"({"max_len": 64})", "\"max_len\": unknown key"},
      {R"({"pooling": "weighted_mean", "distinct_tokens": 1})",
       "distinct_tokens: expected a boolean"},
      {R"({"pooling": "mean", "distinct_tokens": true})",
       "distinct_tokens: needs pooling weighted_mean, not mean"},
      {R"({"pooling": "weighted_mean", "length_pivot": "yes"})",
       "length_pivot: expected a boolean"},
      {R"({"pooling": "cls", "length_pivot": true})",
       "length_pivot: needs pooling weighted_mean, not cls"},
      {R"({"pooling": "weighted_mean", "normalize": false, "length_pivot": true})",
       "length_pivot: needs normalize"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(ServingConfig::FromJson(c.json, "souk.json"),
                StatusIs(Code::kInvalidArgument, c.message))
        << c.json;
  }
}

TEST(ServingConfigTest, ValidateForChecksTheModelsPositions) {
  BertConfig bert;
  bert.max_position_embeddings = 128;
  ServingConfig config;
  config.max_length = 128;
  EXPECT_OK(config.ValidateFor(bert));
  config.max_length = 129;
  EXPECT_THAT(config.ValidateFor(bert),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "max_length: 129 exceeds the model's max_position_embeddings (128)"));
}

TEST(ServingConfigTest, LoadReportsMissingFile) {
  TempDir dir;
  EXPECT_THAT(ServingConfig::Load(dir.File("souk.json")),
              StatusIs(absl::StatusCode::kNotFound, "souk.json"));
}

}  // namespace
}  // namespace souk::model
