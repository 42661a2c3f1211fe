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

const ToyShop& ToyShop::Get() {
  static const ToyShop* shop = new ToyShop();
  return *shop;
}

}  // namespace souk::train::testing
