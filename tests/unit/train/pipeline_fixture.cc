#include "pipeline_fixture.h"

#include "souk/base/check.h"
#include "souk/base/str_cat.h"
#include "souk/train/tokenizer_training.h"

namespace souk::train::testing {
namespace {

const std::vector<std::string> kColours = {"red", "blue", "green", "black", "white", "yellow"};
const std::vector<std::string> kMaterials = {"steel", "cotton", "wooden", "plastic"};
const std::vector<std::string> kKinds = {"hammer", "shirt", "chair",  "bucket", "lamp",
                                         "kettle", "drill", "pillow", "ladder", "blanket"};

}  // namespace

ToyShop::ToyShop() : kinds(kKinds) {
  std::string catalog;
  std::string qrels = "query_id\tquery\tproduct_uid\trelevance\n";
  int n = 0;
  for (const std::string& kind : kKinds) {
    for (const std::string& colour : kColours) {
      for (const std::string& material : kMaterials) {
        const std::string id = StrCat("p", n < 10 ? "00" : n < 100 ? "0" : "", n);
        catalog += StrCat(R"({"id":")", id, R"(","title":")", colour, " ", material, " ", kind,
                          R"("})", "\n");
        qrels += StrCat("q-", colour, "-", kind, "\t", colour, " ", kind, "\t", id, "\t3\n");
        ++n;
      }
    }
  }
  catalog_path = dir_.WriteFile("catalog.jsonl", catalog);
  qrels_path = dir_.WriteFile("qrels.tsv", qrels);
  TokenizerTrainingOptions options;
  options.corpus.catalogs = {catalog_path};
  options.out_dir = dir_.File("tokenizer");
  options.vocab_size = 300;
  options.threads = 1;
  SOUK_CHECK(TrainTokenizer(options).ok());
  tokenizer_dir = options.out_dir;
}

PretrainOptions TinyPretrainOptions(const std::string& out_dir) {
  PretrainOptions options;
  options.corpus.catalogs = {ToyShop::Get().catalog_path};
  options.tokenizer_dir = ToyShop::Get().tokenizer_dir;
  options.out_dir = out_dir;
  options.architecture.hidden_size = 32;
  options.architecture.num_hidden_layers = 1;
  options.architecture.num_attention_heads = 2;
  options.architecture.intermediate_size = 64;
  options.architecture.max_position_embeddings = 32;
  options.serving.max_length = 16;
  options.serving.pooling = model::Pooling::kMean;
  options.batch_size = 16;
  options.steps = 60;
  options.optimizer.learning_rate = 3e-3;
  options.runtime.device = "cpu";
  options.runtime.threads = 1;
  options.runtime.plot = false;
  return options;
}

const ToyShop& ToyShop::Get() {
  static const ToyShop* shop = new ToyShop();
  return *shop;
}

}  // namespace souk::train::testing
