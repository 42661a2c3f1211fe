// Contrastive fine-tuning on the toy shop: held-out retrieval gets better than the pre-trained
// model's, the best model is kept and serves, and bad input stops with a clear error.

#include "souk/train/finetune.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "dense_internal.h"
#include "nlohmann/json.hpp"
#include "pipeline_fixture.h"
#include "souk/base/check.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/model/pooling.h"
#include "souk/model/tensor_io.h"
#include "souk/train/dense_retrieval.h"
#include "souk/train/pretrain.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using testing::ToyShop;

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

FinetuneOptions TinyOptions(const std::string& out_dir) {
  FinetuneOptions options;
  options.base_model_dir = PretrainedDir();
  options.out_dir = out_dir;
  options.catalogs = {ToyShop::Get().catalog_path};
  options.qrels = {ToyShop::Get().qrels_path};
  options.heldout_fraction = 0.25;
  options.positive_min_grade = 2;
  options.temperature = 0.1;
  options.batch_size = 16;
  options.hard_negatives = 1;
  options.epochs = 6;
  options.patience = 6;
  options.max_query_length = 8;
  options.max_product_length = 12;
  options.eval_k = 20;
  options.optimizer.learning_rate = 3e-3;
  options.runtime.device = "cpu";
  options.runtime.threads = 1;
  options.runtime.plot = false;
  return options;
}

TEST(FinetuneTest, HeldOutRetrievalBeatsThePretrainedModel) {
  TempDir dir;
  auto result = RunFinetuning(TinyOptions(dir.path()));
  ASSERT_OK(result);
  ASSERT_GE(result->history.size(), 2u);
  EXPECT_GT(result->heldout_queries, 5u);
  EXPECT_EQ(result->train_pairs, result->train_queries * 4);
  const double before = result->history.front().heldout.at("ndcg@10");
  const double best =
      result->history[static_cast<size_t>(result->best_epoch)].heldout.at("ndcg@10");
  EXPECT_GT(result->best_epoch, 0);
  EXPECT_GT(best, before + 0.1) << "before " << before << ", best " << best;
  EXPECT_TRUE(std::filesystem::exists(dir.File("eval.json")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("checkpoint.pt")));

  // The kept model is the best epoch's: dense retrieval with it finds a query's products.
  auto products = catalog::ReadProducts(ToyShop::Get().catalog_path, {});
  ASSERT_OK(products);
  auto catalog = catalog::Catalog::Create(std::move(*products));
  ASSERT_OK(catalog);
  auto retriever = DenseRetriever::Create(
      dir.path(), std::shared_ptr<const catalog::Catalog>(std::move(*catalog)), {.device = "cpu"});
  ASSERT_OK(retriever);
  auto hits = (*retriever)->Search({"red hammer"}, 4);
  ASSERT_OK(hits);
  ASSERT_EQ((*hits)[0].size(), 4u);
}

// The token log-weights weighted-mean fine-tuning starts from: log IDF over the toy shop's
// product texts as TinyOptions encodes them (`texts` receives those encodings).
torch::Tensor StartingLogIdf(std::vector<text::Encoding>* texts = nullptr) {
  auto tokenizer = encoder::LoadTokenizer(PretrainedDir());
  SOUK_CHECK(tokenizer.ok());
  auto products = catalog::ReadProducts(ToyShop::Get().catalog_path, {});
  SOUK_CHECK(products.ok());
  std::vector<text::Encoding> encoded;
  for (const catalog::Product& p : *products) {
    encoded.push_back((*tokenizer)->Encode(catalog::ProductText(p), 12));
  }
  torch::Tensor weights = internal::LogIdfWeights(encoded, (*tokenizer)->vocab_size());
  if (texts != nullptr) *texts = std::move(encoded);
  return weights;
}

TEST(FinetuneTest, WeightedMeanPoolingLearnsTokenWeightsFromLogIdf) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pooling = "weighted_mean";
  options.epochs = 2;
  auto result = RunFinetuning(options);
  ASSERT_OK(result);
  EXPECT_GT(result->best_epoch, 0);

  // Where training started: log IDF over the product texts it encoded.
  std::vector<text::Encoding> texts;
  const torch::Tensor start = StartingLogIdf(&texts);
  const int64_t cls = texts.at(0).ids[0];
  EXPECT_LT(start[cls].item<float>(), start.max().item<float>() - 5) << "[CLS] is in every text";

  auto saved = model::ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(saved);
  ASSERT_TRUE(saved->contains(model::kTokenLogWeightsTensor));
  const torch::Tensor learned = saved->at(model::kTokenLogWeightsTensor);
  ASSERT_EQ(learned.sizes(), start.sizes());
  EXPECT_GT((learned - start).abs().max().item<float>(), 1e-3) << "the weights were trained";

  // The model serves with them.
  encoder::EncoderOptions serve;
  serve.model_dir = dir.path();
  auto text_encoder = encoder::TextEncoder::Create(serve);
  ASSERT_OK(text_encoder);
  EXPECT_THAT((*text_encoder)->RuntimeSummary(), ::testing::HasSubstr("weighted_mean"));
  auto embedding = (*text_encoder)->Encode("red hammer");
  ASSERT_OK(embedding);
  EXPECT_EQ(embedding->size(),
            static_cast<size_t>(testing::TinyPretrainOptions("x").architecture.hidden_size));
}

TEST(FinetuneTest, ZeroEpochsWritesTheStartingModelWithItsIdfWeights) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pooling = "weighted_mean";
  options.epochs = 0;
  auto result = RunFinetuning(options);
  ASSERT_OK(result);
  EXPECT_EQ(result->best_epoch, 0);
  ASSERT_EQ(result->history.size(), 1u);  // the held-out evaluation of the start, nothing more

  auto saved = model::ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(saved);
  ASSERT_TRUE(saved->contains(model::kTokenLogWeightsTensor));
  EXPECT_TRUE(torch::allclose(saved->at(model::kTokenLogWeightsTensor), StartingLogIdf()));
  encoder::EncoderOptions serve;
  serve.model_dir = dir.path();
  EXPECT_OK(encoder::TextEncoder::Create(serve));
}

TEST(FinetuneTest, IdfPowerScalesTheStartingLogWeights) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pooling = "weighted_mean";
  options.epochs = 0;
  options.idf_power = 0.5;
  ASSERT_OK(RunFinetuning(options));
  auto saved = model::ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(saved);
  EXPECT_TRUE(torch::allclose(saved->at(model::kTokenLogWeightsTensor), 0.5 * StartingLogIdf()));

  for (double bad : {0.0, -1.0, 5.0}) {
    options.idf_power = bad;
    EXPECT_THAT(RunFinetuning(options),
                StatusIs(absl::StatusCode::kInvalidArgument, "idf_power: must be in (0, 4]"))
        << bad;
  }
}

TEST(FinetuneTest, ALengthPivotIsSavedAndServed) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pooling = "weighted_mean";
  options.length_pivot = 4;
  options.epochs = 1;
  ASSERT_OK(RunFinetuning(options));
  auto serving = model::ServingConfig::Load(dir.File("souk.json"));
  ASSERT_OK(serving);
  EXPECT_TRUE(serving->length_pivot);
  auto saved = model::ReadTensors(dir.File("model.safetensors"));
  ASSERT_OK(saved);
  ASSERT_TRUE(saved->contains(model::kLogLengthPivotTensor));
  const int64_t hidden = testing::TinyPretrainOptions("x").architecture.hidden_size;
  const float start = std::log(4.0f * std::sqrt(static_cast<float>(hidden)));
  EXPECT_NEAR(saved->at(model::kLogLengthPivotTensor).item<float>(), start, 1e-6)
      << "the pivot is a setting, not trained";

  encoder::EncoderOptions serve;
  serve.model_dir = dir.path();
  auto text_encoder = encoder::TextEncoder::Create(serve);
  ASSERT_OK(text_encoder);
  EXPECT_EQ((*text_encoder)->dimension(), static_cast<size_t>(hidden) + 1);

  options.pooling = "mean";
  options.out_dir = dir.File("mean");
  EXPECT_THAT(RunFinetuning(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "length_pivot: needs pooling"));
  options.pooling = "weighted_mean";
  options.length_pivot = -1;
  EXPECT_THAT(RunFinetuning(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "length_pivot: must be in [0, 1000]"));
}

TEST(FinetuneTest, DistinctTokensReachTheServedModelAndNeedWeightedMean) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pooling = "weighted_mean";
  options.distinct_tokens = true;
  options.epochs = 1;
  ASSERT_OK(RunFinetuning(options));
  auto serving = model::ServingConfig::Load(dir.File("souk.json"));
  ASSERT_OK(serving);
  EXPECT_TRUE(serving->distinct_tokens);
  encoder::EncoderOptions serve;
  serve.model_dir = dir.path();
  auto text_encoder = encoder::TextEncoder::Create(serve);
  ASSERT_OK(text_encoder);
  EXPECT_THAT((*text_encoder)->fingerprint(), ::testing::HasSubstr("of distinct tokens"));

  options.pooling = "mean";
  options.out_dir = dir.File("mean");
  EXPECT_THAT(RunFinetuning(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "distinct_tokens: needs pooling"));
}

TEST(FinetuneTest, PseudoQueriesJoinEveryEpochsPairs) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.path());
  options.pseudo_queries = 64;
  options.epochs = 2;
  options.runtime.log_every = 1;
  auto result = RunFinetuning(options);
  ASSERT_OK(result);
  const size_t steps_per_epoch = (result->train_pairs + 64) / 16;
  std::ifstream in(dir.File("metrics.jsonl"));
  int64_t last_step = 0;
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j["kind"] == "train") last_step = j["step"].get<int64_t>();
  }
  EXPECT_EQ(last_step, static_cast<int64_t>(2 * steps_per_epoch));
}

// PretrainedDir() copied into `dir` with a tokenizer_config.json: its tokenizer reads the
// analyzer's terms.
std::string AnalyzedModelCopy(const TempDir& dir) {
  const std::string model = dir.File("analyzed");
  std::filesystem::copy(PretrainedDir(), model, std::filesystem::copy_options::recursive);
  SOUK_CHECK(encoder::WriteAnalyzerConfig(model, text::AnalyzerOptions{}).ok());
  return model;
}

// The toy shop's qrels with a typo in every product kind ("red hamner").
std::string MisspelledQrels(const TempDir& dir) {
  std::ifstream in(ToyShop::Get().qrels_path);
  std::string qrels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& [kind, typo] :
       std::vector<std::pair<std::string, std::string>>{{" hammer", " hamner"},
                                                        {" bucket", " bukcet"},
                                                        {" kettle", " ketle"},
                                                        {" pillow", " pilow"},
                                                        {" blanket", " blanekt"}}) {
    for (size_t at = qrels.find(kind); at != std::string::npos; at = qrels.find(kind, at)) {
      qrels.replace(at, kind.size(), typo);
    }
  }
  return dir.WriteFile("misspelled.tsv", qrels);
}

TEST(FinetuneTest, AnAnalyzedModelTrainsAndEvaluatesOnSpellingCorrectedQueries) {
  TempDir dir;
  const std::string model = AnalyzedModelCopy(dir);
  auto heldout_ndcg = [&](const std::string& name, const std::string& qrels, bool correct) {
    FinetuneOptions options = TinyOptions(dir.File(name));
    options.base_model_dir = model;
    options.qrels = {qrels};
    options.epochs = 0;
    options.correct_spelling = correct;
    auto result = RunFinetuning(options);
    SOUK_CHECK(result.ok());
    return result->history.at(0).heldout.at("ndcg@10");
  };
  const double spelled_right = heldout_ndcg("right", ToyShop::Get().qrels_path, true);
  EXPECT_EQ(heldout_ndcg("corrected", MisspelledQrels(dir), true), spelled_right);
  EXPECT_NE(heldout_ndcg("as-typed", MisspelledQrels(dir), false), spelled_right);
}

TEST(FinetuneTest, DenseRetrievalCorrectsTheSpellingOfAnAnalyzedModelsQueries) {
  TempDir dir;
  const std::string model = AnalyzedModelCopy(dir);
  auto products = catalog::ReadProducts(ToyShop::Get().catalog_path, {});
  ASSERT_OK(products);
  auto catalog = catalog::Catalog::Create(std::move(*products));
  ASSERT_OK(catalog);
  const std::shared_ptr<const catalog::Catalog> shared(std::move(*catalog));
  auto corrected = DenseRetriever::Create(model, shared, {.device = "cpu"});
  auto as_typed =
      DenseRetriever::Create(model, shared, {.device = "cpu", .correct_spelling = false});
  auto plain = DenseRetriever::Create(PretrainedDir(), shared, {.device = "cpu"});
  ASSERT_OK(corrected);
  ASSERT_OK(as_typed);
  ASSERT_OK(plain);
  auto right = (*corrected)->Search({"red hammer"}, 5);
  auto typo = (*corrected)->Search({"red hamner"}, 5);
  auto typo_as_typed = (*as_typed)->Search({"red hamner"}, 5);
  ASSERT_OK(right);
  ASSERT_OK(typo);
  ASSERT_OK(typo_as_typed);
  EXPECT_EQ(*typo, *right);
  EXPECT_NE(*typo_as_typed, *right);
  // A model that reads text as given has no analyzer terms to correct.
  auto plain_right = (*plain)->Search({"red hammer"}, 5);
  auto plain_typo = (*plain)->Search({"red hamner"}, 5);
  ASSERT_OK(plain_right);
  ASSERT_OK(plain_typo);
  EXPECT_NE(*plain_typo, *plain_right);
}

TEST(FinetuneTest, AQrelsFileNamingAnUnknownProductIsAnError) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.File("out"));
  options.qrels = {dir.WriteFile("bad.tsv",
                                 "query_id\tquery\tproduct_uid\trelevance\n"
                                 "1\tred hammer\tp000\t3\n"
                                 "2\tblue lamp\tnope\t3\n")};
  auto result = RunFinetuning(options);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, "nope"));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, "bad.tsv"));
}

TEST(FinetuneTest, NoPairAboveTheGradeIsAnError) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.File("out"));
  options.positive_min_grade = 4;
  EXPECT_THAT(RunFinetuning(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, "positive-min-grade"));
}

TEST(FinetuneTest, AMissingBaseModelIsNamed) {
  TempDir dir;
  FinetuneOptions options = TinyOptions(dir.File("out"));
  options.base_model_dir = dir.File("no-model");
  auto result = RunFinetuning(options);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()), ::testing::HasSubstr("no-model"));
}

}  // namespace
}  // namespace souk::train
