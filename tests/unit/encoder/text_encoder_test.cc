#include "souk/encoder/text_encoder.h"

#include <torch/torch.h>

#include <cmath>
#include <thread>

#include "souk/base/file_util.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/pooling.h"
#include "souk/model/safetensors.h"
#include "souk/model/tensor_io.h"
#include "support/test_support.h"

namespace souk::encoder {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

std::vector<std::string> Vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* w :
       {"usb",  "charger", "wireless", "earbuds", "garden", "hose", "drill", "cordless",
        "fast", "white",   "black",    "##s",     "##ing",  "the",  "for",   "a",
        ",",    ".",       "蓝",       "牙",      "耳",     "机"}) {
    v.push_back(w);
  }
  return v;
}

model::ServingConfig MeanPooling() {
  model::ServingConfig serving;
  serving.pooling = model::Pooling::kMean;
  serving.max_length = 32;
  return serving;
}

model::BertConfig SmallConfig() {
  model::BertConfig c;
  c.vocab_size = 40;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 64;
  return c;
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double d = a.size() == b.size() ? 0 : 1e9;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    d = std::max(d, double(std::abs(a[i] - b[i])));
  return d;
}

class TextEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(
        WriteRandomModelDirectory(dir_.File("model"), SmallConfig(), MeanPooling(), Vocab(), 7));
  }

  std::unique_ptr<TextEncoder> Make(EncoderOptions options = {}) {
    options.model_dir = dir_.File("model");
    auto encoder = TextEncoder::Create(options);
    EXPECT_OK(encoder);
    return encoder.ok() ? std::move(*encoder) : nullptr;
  }

  TempDir dir_;
};

TEST_F(TextEncoderTest, EncodesToANormalizedVectorOfTheHiddenSize) {
  auto encoder = Make();
  ASSERT_NE(encoder, nullptr);
  auto v = encoder->Encode("wireless earbuds");
  ASSERT_OK(v);
  ASSERT_EQ(v->size(), 32u);
  double norm = 0;
  for (float x : *v) norm += double(x) * x;
  EXPECT_NEAR(std::sqrt(norm), 1.0, 1e-5);
  EXPECT_EQ(encoder->Tokenize("usb charger"), (std::vector<int64_t>{2, 5, 6, 3}));
}

TEST_F(TextEncoderTest, PaddingInABatchDoesNotChangeAnOutput) {
  auto encoder = Make();
  ASSERT_NE(encoder, nullptr);
  const std::vector<std::string> texts = {"usb", "cordless drill for the garden hose , white",
                                          "蓝牙耳机", "fast wireless charger"};
  auto batch = encoder->EncodeBatch(texts);
  ASSERT_OK(batch);
  for (size_t i = 0; i < texts.size(); ++i) {
    auto alone = encoder->EncodeBatch({texts[i]});
    ASSERT_OK(alone);
    EXPECT_LE(MaxAbsDiff((*batch)[i], (*alone)[0]), 1e-5) << texts[i];
  }
}

TEST_F(TextEncoderTest, ConcurrentCallersGetWhatTheyWouldGetAlone) {
  EncoderOptions batched;
  batched.batching.max_batch_size = 8;
  batched.batching.max_wait = std::chrono::milliseconds(5);
  batched.cache_entries = 0;
  auto encoder = Make(batched);
  ASSERT_NE(encoder, nullptr);
  std::vector<std::string> texts;
  for (int i = 0; i < 16; ++i) {
    texts.push_back(std::string(i % 2 ? "wireless earbuds" : "cordless drill") +
                    std::string(static_cast<size_t>(i % 5), 's'));
  }
  std::vector<std::vector<float>> got(texts.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < texts.size(); ++i) {
    threads.emplace_back([&, i] {
      auto v = encoder->Encode(texts[i]);
      if (v.ok()) got[i] = *v;
    });
  }
  for (auto& t : threads) t.join();
  auto alone = encoder->EncodeBatch(texts, /*batch_size=*/1);
  ASSERT_OK(alone);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_LE(MaxAbsDiff(got[i], (*alone)[i]), 1e-5) << texts[i];
  }
}

TEST_F(TextEncoderTest, ALoneQueryRunsOnTheCallersThread) {
  EncoderOptions slow_batches;
  slow_batches.batching.max_wait = std::chrono::seconds(30);  // a batched call would time out
  slow_batches.cache_entries = 0;
  auto encoder = Make(slow_batches);
  ASSERT_NE(encoder, nullptr);
  auto direct = encoder->Encode("garden hose");
  ASSERT_OK(direct);
  EXPECT_EQ(encoder->direct_calls(), 1u);
  auto batch = encoder->EncodeBatch({"garden hose"});
  ASSERT_OK(batch);
  EXPECT_LE(MaxAbsDiff(*direct, (*batch)[0]), 1e-6);
}

TEST_F(TextEncoderTest, RepeatsComeFromTheCache) {
  auto encoder = Make();
  ASSERT_NE(encoder, nullptr);
  auto a = encoder->Encode("usb charger");
  auto b = encoder->Encode("usb charger");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(encoder->cache_hits(), 1u);
  EXPECT_EQ(encoder->cache_misses(), 1u);
}

TEST_F(TextEncoderTest, TheSameSeedWritesTheSameModel) {
  ASSERT_OK(
      WriteRandomModelDirectory(dir_.File("again"), SmallConfig(), MeanPooling(), Vocab(), 7));
  EncoderOptions options;
  options.model_dir = dir_.File("again");
  auto again = TextEncoder::Create(options);
  ASSERT_OK(again);
  auto first = Make();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first->Encode("garden hose"), *(*again)->Encode("garden hose"));
}

TEST_F(TextEncoderTest, PoolingAndNormalizationFollowTheOptions) {
  EncoderOptions raw;
  raw.normalize = false;
  raw.pooling = model::Pooling::kCls;
  auto encoder = Make(raw);
  ASSERT_NE(encoder, nullptr);
  auto v = encoder->Encode("usb");
  ASSERT_OK(v);
  double norm = 0;
  for (float x : *v) norm += double(x) * x;
  EXPECT_GT(std::abs(std::sqrt(norm) - 1.0), 1e-3);  // a raw [CLS] state is not unit length
}

TEST_F(TextEncoderTest, AnExpiredDeadlineIsAnError) {
  auto encoder = Make();
  ASSERT_NE(encoder, nullptr);
  EXPECT_THAT(encoder->Encode("usb", TextEncoder::Clock::now() - std::chrono::seconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded, "deadline"));
}

// Rewrites the weights file keeping every tensor but `drop` and cutting one row off `shrink`.
void RewriteWeights(const std::string& path, const std::string& drop, const std::string& shrink) {
  auto file = model::SafetensorsFile::Open(path);
  ASSERT_OK(file);
  std::vector<std::vector<float>> values;
  std::vector<model::TensorToWrite> tensors;
  values.reserve((*file)->num_tensors());
  for (const std::string& name : (*file)->TensorNames()) {
    if (name == drop) continue;
    auto data = (*file)->ReadFloat32(name);
    ASSERT_OK(data);
    std::vector<int64_t> shape = (*file)->Find(name)->shape;
    values.push_back(*data);
    if (name == shrink) {
      const int64_t row = shape.size() > 1 ? shape[1] : 1;
      shape[0] -= 1;
      values.back().resize(values.back().size() - static_cast<size_t>(row));
    }
    tensors.push_back(model::TensorToWrite::Floats(name, shape, values.back()));
  }
  file->reset();
  ASSERT_OK(model::WriteSafetensors(path, tensors));
}

TEST_F(TextEncoderTest, AMissingOrMisshapenTensorIsNamed) {
  const std::string weights = dir_.File("model/model.safetensors");
  RewriteWeights(weights, "encoder.layer.1.output.dense.bias", "");
  EncoderOptions options;
  options.model_dir = dir_.File("model");
  EXPECT_THAT(TextEncoder::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.layer.1.output.dense.bias"));
  SetUp();  // a fresh, complete directory
  RewriteWeights(weights, "", "embeddings.position_embeddings.weight");
  EXPECT_THAT(TextEncoder::Create(options), StatusIs(absl::StatusCode::kInvalidArgument,
                                                     "embeddings.position_embeddings.weight"));
}

// Adds weighted_mean's token log weights to the weights file at `path`.
void AddTokenLogWeights(const std::string& path, const torch::Tensor& log_weights) {
  auto weights = model::ReadTensors(path);
  ASSERT_OK(weights);
  (*weights)[model::kTokenLogWeightsTensor] = log_weights;
  ASSERT_OK(model::WriteTensors(path, *weights));
}

TEST_F(TextEncoderTest, DistinctTokensChangeOnlyTextsThatRepeatAToken) {
  AddTokenLogWeights(dir_.File("model/model.safetensors"),
                     torch::zeros({SmallConfig().vocab_size}));
  model::ServingConfig serving = MeanPooling();
  serving.pooling = model::Pooling::kWeightedMean;
  ASSERT_OK(serving.Save(dir_.File("model/souk.json")));
  auto counted = Make();
  serving.distinct_tokens = true;
  ASSERT_OK(serving.Save(dir_.File("model/souk.json")));
  auto distinct = Make();
  ASSERT_NE(counted, nullptr);
  ASSERT_NE(distinct, nullptr);
  EXPECT_THAT(distinct->fingerprint(), ::testing::HasSubstr("weighted_mean of distinct tokens"));
  EXPECT_NE(distinct->fingerprint(), counted->fingerprint()) << "their vectors do not mix";
  EXPECT_LE(MaxAbsDiff(*distinct->Encode("cordless drill"), *counted->Encode("cordless drill")),
            1e-5);
  EXPECT_GT(MaxAbsDiff(*distinct->Encode("drill drill drill garden"),
                       *counted->Encode("drill drill drill garden")),
            1e-3);
}

TEST_F(TextEncoderTest, WeightedMeanPoolingNeedsTokenWeightsAndUsesThem) {
  EncoderOptions weighted;
  weighted.pooling = model::Pooling::kWeightedMean;
  weighted.model_dir = dir_.File("model");
  EXPECT_THAT(TextEncoder::Create(weighted),
              StatusIs(absl::StatusCode::kFailedPrecondition, "weighted_mean"));

  const std::string path = dir_.File("model/model.safetensors");
  AddTokenLogWeights(path, torch::zeros({SmallConfig().vocab_size}));
  auto uniform = Make(weighted);
  auto mean = Make();
  ASSERT_NE(uniform, nullptr);
  ASSERT_NE(mean, nullptr);
  const std::string text = "cordless drill for the garden";
  EXPECT_LE(MaxAbsDiff(*uniform->Encode(text), *mean->Encode(text)), 1e-5);

  torch::Tensor favour_drill = torch::zeros({SmallConfig().vocab_size});
  favour_drill[mean->Tokenize("drill").at(1)] = 4.0f;  // [CLS] drill [SEP]
  AddTokenLogWeights(path, favour_drill);
  auto favouring = Make(weighted);
  ASSERT_NE(favouring, nullptr);
  EXPECT_GT(MaxAbsDiff(*favouring->Encode(text), *mean->Encode(text)), 1e-3);

  AddTokenLogWeights(path, torch::zeros({3}));
  EXPECT_THAT(TextEncoder::Create(weighted),
              StatusIs(absl::StatusCode::kFailedPrecondition, model::kTokenLogWeightsTensor));
}

TEST_F(TextEncoderTest, ALengthPivotAddsADimensionThatOnlyProductsUse) {
  const std::string path = dir_.File("model/model.safetensors");
  AddTokenLogWeights(path, torch::zeros({SmallConfig().vocab_size}));
  model::ServingConfig serving = MeanPooling();
  serving.pooling = model::Pooling::kWeightedMean;
  serving.length_pivot = true;
  ASSERT_OK(serving.Save(dir_.File("model/souk.json")));
  EncoderOptions options;
  options.model_dir = dir_.File("model");
  EXPECT_THAT(TextEncoder::Create(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, model::kLogLengthPivotTensor));

  auto weights = model::ReadTensors(path);
  ASSERT_OK(weights);
  (*weights)[model::kLogLengthPivotTensor] = torch::tensor({std::log(20.0f)});
  ASSERT_OK(model::WriteTensors(path, *weights));
  auto encoder = Make();
  ASSERT_NE(encoder, nullptr);
  EXPECT_EQ(encoder->dimension(), 33u);
  EXPECT_THAT(encoder->fingerprint(), ::testing::HasSubstr("with a length pivot"));
  auto query = encoder->Encode("cordless drill");
  auto as_query = encoder->EncodeBatch({"cordless drill"}, 8, model::TextRole::kQuery);
  auto product = encoder->EncodeBatch({"cordless drill"});
  ASSERT_OK(query);
  ASSERT_OK(as_query);
  ASSERT_OK(product);
  ASSERT_EQ(query->size(), 33u);
  EXPECT_EQ(query->back(), 0.0f);
  EXPECT_LE(MaxAbsDiff(*query, (*as_query)[0]), 1e-6);
  EXPECT_GT(product->at(0).back(), 0.3f) << "the pivot's share of the product's unit vector";
  double norm = 0;
  for (float x : product->at(0)) norm += double(x) * x;
  EXPECT_NEAR(std::sqrt(norm), 1.0, 1e-5);
}

TEST_F(TextEncoderTest, AnAnalyzerInTheTokenizerConfigReadsTextAsTheIndexDoes) {
  auto plain = Make();
  ASSERT_NE(plain, nullptr);
  EXPECT_NE(plain->Tokenize("Cordless Drills"), plain->Tokenize("cordless drill"));

  ASSERT_OK(WriteAnalyzerConfig(dir_.File("model"), text::AnalyzerOptions{}));
  auto analyzed = Make();
  ASSERT_NE(analyzed, nullptr);
  EXPECT_EQ(analyzed->Tokenize("Cordless Drills"), analyzed->Tokenize("cordless drill"));
  EXPECT_EQ(analyzed->Tokenize("cordless drill"), plain->Tokenize("cordless drill"));
  auto a = analyzed->Encode("Cordless Drills");
  auto b = analyzed->Encode("cordless drill");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(analyzed->fingerprint(), plain->fingerprint()) << "their vectors do not mix";

  ASSERT_OK(WriteAnalyzerConfig(dir_.File("model"), text::AnalyzerOptions{.stem_english = false}));
  auto no_stem = LoadTokenizer(dir_.File("model"));
  ASSERT_OK(no_stem);
  EXPECT_NE((*no_stem)->Encode("drills", 8).ids, (*no_stem)->Encode("drill", 8).ids);
}

TEST_F(TextEncoderTest, AnAnalyzedModelEncodesQueryTermsAsGiven) {
  auto plain = Make();
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->analyzer(), nullptr);
  EXPECT_THAT(plain->EncodeTerms({"drill"}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "analyzed"));

  ASSERT_OK(WriteAnalyzerConfig(dir_.File("model"), text::AnalyzerOptions{}));
  auto analyzed = Make();
  ASSERT_NE(analyzed, nullptr);
  ASSERT_NE(analyzed->analyzer(), nullptr);
  const std::vector<std::string> terms = analyzed->analyzer()->Analyze("Cordless Drills");
  auto from_terms = analyzed->EncodeTerms(terms);
  auto from_text = Make()->Encode("Cordless Drills");  // another encoder: another cache
  ASSERT_OK(from_terms);
  ASSERT_OK(from_text);
  EXPECT_EQ(*from_terms, *from_text);
  // Rewritten terms (a corrected query) give the vector of the text they stand for.
  auto rewritten = analyzed->EncodeTerms({"cordless", "drill", "hose"});
  auto as_text = Make()->Encode("cordless drill hose");
  ASSERT_OK(rewritten);
  ASSERT_OK(as_text);
  EXPECT_EQ(*rewritten, *as_text);
  EXPECT_GT(MaxAbsDiff(*rewritten, *from_text), 1e-4);
}

TEST_F(TextEncoderTest, ABadAnalyzerConfigIsNamed) {
  const std::string config = dir_.File("model/tokenizer_config.json");
  for (const auto& [json, message] : std::vector<std::pair<std::string, std::string>>{
           {R"({"analyzer": true})", "analyzer: expected an object"},
           {R"({"analyzer": {"stem": true}})", "analyzer: unknown key \"stem\""},
           {R"({"analyzer": {"stem_english": 1}})", "analyzer.stem_english: expected true"}}) {
    ASSERT_OK(WriteFileAtomically(config, json));
    EXPECT_THAT(LoadTokenizer(dir_.File("model")),
                StatusIs(absl::StatusCode::kInvalidArgument, message))
        << json;
    EXPECT_THAT(LoadTokenizer(dir_.File("model")),
                StatusIs(absl::StatusCode::kInvalidArgument, "tokenizer_config.json"));
  }
}

TEST_F(TextEncoderTest, BadOptionsAreNamed) {
  EncoderOptions options;
  options.model_dir = dir_.File("model");
  options.device = "tpu";
  EXPECT_THAT(TextEncoder::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.device"));
  options.device = "cpu";
  options.threads = 0;
  EXPECT_THAT(TextEncoder::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.threads"));
  options.threads = 1;
  options.model_dir = dir_.File("nowhere");
  EXPECT_THAT(TextEncoder::Create(options), StatusIs(absl::StatusCode::kNotFound, "config.json"));
}

}  // namespace
}  // namespace souk::encoder
