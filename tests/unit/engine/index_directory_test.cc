#include "souk/engine/index_directory.h"

#include <filesystem>

#include "absl/strings/str_split.h"
#include "engine_fixture.h"
#include "souk/base/ascii.h"
#include "souk/encoder/model_directory.h"
#include "souk/engine/snapshot.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using testing::OptionsFor;
using testing::SmallCatalog;

TEST(IndexDirectoryTest, WritesAManifestASnapshotCanLoad) {
  TempDir tmp;
  const std::string dir = tmp.File("index");
  auto summary = WriteIndexDirectory(SmallCatalog(), OptionsFor(dir));
  ASSERT_OK(summary);
  EXPECT_EQ(summary->manifest.products, 6u);
  EXPECT_GT(summary->terms, 10u);
  auto manifest = ReadManifest(dir);
  ASSERT_OK(manifest);
  EXPECT_EQ(manifest->index_id, summary->manifest.index_id);

  auto snapshot = Snapshot::Load(OptionsFor(dir));
  ASSERT_OK(snapshot);
  EXPECT_EQ((*snapshot)->version(), summary->manifest.index_id);
  EXPECT_EQ((*snapshot)->catalog().size(), 6u);
}

TEST(IndexDirectoryTest, AnExpanderFillsTheExpansionFieldTheIndexSearches) {
  TempDir tmp;
  const std::vector<std::string> vocab = {"[PAD]",    "[UNK]",  "[CLS]", "[SEP]",    "[MASK]",
                                          "cordless", "drill",  "hose",  "garden",   "kit",
                                          "hammer",   "ladder", "lamp",  "watering", "sander"};
  model::BertConfig config;
  config.vocab_size = 16;
  config.hidden_size = 32;
  config.num_hidden_layers = 1;
  config.num_attention_heads = 2;
  config.intermediate_size = 64;
  config.max_position_embeddings = 128;
  const std::string mlm = tmp.File("mlm");
  ASSERT_OK(encoder::WriteRandomMaskedLmDirectory(mlm, config, {}, vocab, 3));
  const std::string dir = tmp.File("index");
  SnapshotOptions options = OptionsFor(dir);
  options.expansion.model_dir = mlm;
  options.expansion.terms = 3;
  options.expansion.min_probability = 0;
  options.expansion.min_lift = 0;  // a random model guesses alike for every product
  options.expansion.threads = 1;   // one OpenMP thread, as the encoder's tests
  auto summary = WriteIndexDirectory(SmallCatalog(), options);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->expanded_products, 6u);
  auto manifest = ReadManifest(dir);
  ASSERT_OK(manifest);
  EXPECT_EQ(manifest->expansion_model, mlm);

  // The server needs no model: the words are in the directory's catalog and index.
  auto snapshot = Snapshot::Load(OptionsFor(dir));
  ASSERT_OK(snapshot);
  for (const catalog::Product& p : (*snapshot)->catalog().products()) {
    const std::vector<std::string> words = absl::StrSplit(p.expansion, ' ');
    const std::vector<std::string> title = absl::StrSplit(AsciiLower(p.title), ' ');
    ASSERT_EQ(words.size(), 3u) << p.id;
    for (const std::string& word : words) {
      EXPECT_NE(std::find(vocab.begin() + 5, vocab.end(), word), vocab.end()) << word;
      EXPECT_EQ(std::count(title.begin(), title.end(), word), 0) << p.id << ": " << word;
    }
    const lexical::SearchResult found =
        (*snapshot)->lexical().Search((*snapshot)->QueryTerms(words[0]), nullptr, {});
    EXPECT_TRUE(std::any_of(
        found.hits.begin(), found.hits.end(),
        [&](const lexical::Hit& h) { return (*snapshot)->catalog().product(h.doc).id == p.id; }))
        << p.id << " not found by " << words[0];
  }
}

TEST(IndexDirectoryTest, RewritingReplacesTheWholeDirectory) {
  TempDir tmp;
  const std::string dir = tmp.File("index");
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(dir)));
  auto products = SmallCatalog();
  products.resize(2);
  ASSERT_OK(WriteIndexDirectory(products, OptionsFor(dir)));
  auto snapshot = Snapshot::Load(OptionsFor(dir));
  ASSERT_OK(snapshot);
  EXPECT_EQ((*snapshot)->catalog().size(), 2u);
  // No staging or old directories are left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()), {}), 1);
}

TEST(IndexDirectoryTest, AFailedBuildLeavesTheOldIndexInPlace) {
  TempDir tmp;
  const std::string dir = tmp.File("index");
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(dir)));
  auto duplicate = SmallCatalog();
  duplicate.push_back(duplicate.front());
  EXPECT_THAT(WriteIndexDirectory(duplicate, OptionsFor(dir)),
              StatusIs(absl::StatusCode::kInvalidArgument, "p1"));
  auto snapshot = Snapshot::Load(OptionsFor(dir));
  ASSERT_OK(snapshot);
  EXPECT_EQ((*snapshot)->catalog().size(), 6u);
}

TEST(IndexDirectoryTest, RefusesToReplaceADirectoryThatIsNotAnIndex) {
  TempDir tmp;
  tmp.WriteFile("shop/users.jsonl", "{}\n");
  EXPECT_THAT(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp.File("shop"))),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a Souk index directory"));
  EXPECT_TRUE(std::filesystem::exists(tmp.File("shop/users.jsonl")));
  EXPECT_THAT(WriteIndexDirectory(SmallCatalog(), OptionsFor(".")),
              StatusIs(absl::StatusCode::kInvalidArgument, "index.dir"));
}

TEST(IndexDirectoryTest, ATrailingSlashNamesTheSameDirectory) {
  TempDir tmp;
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp.File("index/"))));
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp.File("index/"))));
  EXPECT_OK(Snapshot::Load(OptionsFor(tmp.File("index"))));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmp.path()), {}), 1);
}

TEST(IndexDirectoryTest, MistypedManifestFieldsAreErrorsNotCrashes) {
  TempDir tmp;
  for (
      const char* manifest :
      {R"({"format": 1, "version": 1})", R"({"format": "souk-index", "version": "1"})",
       R"({"format": "souk-index", "version": 1, "index_id": 5, "products": 1, "analyzer": "a"})",
       R"({"format": "souk-index", "version": 1, "index_id": "x", "products": -1, "analyzer": "a"})",
       R"({"format": "souk-index", "version": 1, "index_id": "x", "products": 1, "analyzer": "a",
            "created_unix_s": "yesterday"})",
       "[1, 2]", "not json"}) {
    tmp.WriteFile("index/manifest.json", manifest);
    auto read = ReadManifest(tmp.File("index"));
    if (std::string(manifest).find("yesterday") != std::string::npos) {
      ASSERT_OK(read);  // optional field: ignored when mistyped
      EXPECT_EQ(read->created_unix_s, 0);
    } else {
      EXPECT_FALSE(read.ok()) << manifest;
    }
  }
}

TEST(IndexDirectoryTest, LoadErrorsNameTheProblem) {
  TempDir tmp;
  EXPECT_THAT(Snapshot::Load(OptionsFor(tmp.File("missing"))),
              StatusIs(absl::StatusCode::kNotFound, "manifest.json"));
  const std::string dir = tmp.File("index");
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(dir)));
  SnapshotOptions other = OptionsFor(dir);
  other.analyzer.stem_english = false;
  EXPECT_THAT(Snapshot::Load(other),
              StatusIs(absl::StatusCode::kFailedPrecondition, "rebuild it with souk index"));
  tmp.WriteFile("index/manifest.json", "{\"format\": \"souk-index\", \"version\": 99}");
  EXPECT_THAT(Snapshot::Load(OptionsFor(dir)),
              StatusIs(absl::StatusCode::kFailedPrecondition, "version 99"));
}

}  // namespace
}  // namespace souk::engine
