// Search with an encoder: `souk index` embeds every product, the snapshot refuses vectors of
// another model, and Search fuses BM25F with cosine over the vectors (filters and paging
// included). The model is a small random BERT: what is tested is the plumbing and the fusion,
// not the model's quality (bench/RESULTS.md measures that).

#include <cmath>
#include <filesystem>

#include "engine_fixture.h"
#include "souk/base/check.h"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/rank_fusion.h"
#include "souk/engine/search_engine.h"
#include "souk/vector/vector_file.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using testing::OptionsFor;
using testing::Query;
using testing::SmallCatalog;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* w :
       {"makita", "cordless", "drill",  "driver", "bosch", "hammer",   "bit",     "set",
        "garden", "hose",     "dewalt", "kit",    "bits",  "titanium", "gilmour", "18",
        "20",     "##v",      "ft",     "50",     "pc",    "10",       "小",      "米",
        "无",     "线",       "蓝",     "牙",     "耳",    "机",       "降",      "噪"}) {
    v.push_back(w);
  }
  return v;
}

model::BertConfig TinyBert() {
  model::BertConfig c;
  c.vocab_size = 40;
  c.hidden_size = 32;
  c.num_hidden_layers = 1;
  c.num_attention_heads = 2;
  c.intermediate_size = 64;
  c.max_position_embeddings = 64;
  return c;
}

std::string WriteModel(const TempDir& tmp, const std::string& name, uint64_t seed) {
  model::ServingConfig serving;
  serving.pooling = model::Pooling::kMean;
  serving.max_length = 32;
  const std::string dir = tmp.File(name);
  SOUK_CHECK(encoder::WriteRandomModelDirectory(dir, TinyBert(), serving, Vocab(), seed).ok());
  return dir;
}

SnapshotOptions DenseOptions(const std::string& index_dir, const std::string& model_dir) {
  SnapshotOptions options = OptionsFor(index_dir);
  options.encoder.model_dir = model_dir;
  return options;
}

class HybridSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = WriteModel(tmp_, "model", 5);
    ASSERT_OK(WriteIndexDirectory(SmallCatalog(), DenseOptions(tmp_.File("index"), model_)));
    auto snapshot = Snapshot::Load(DenseOptions(tmp_.File("index"), model_));
    ASSERT_OK(snapshot);
    snapshot_ = *snapshot;
    auto engine = SearchEngine::Create(SearchOptions{}, snapshot_);
    ASSERT_OK(engine);
    engine_ = std::move(*engine);
  }

  std::vector<std::string> Ids(const SearchQuery& q) { return testing::ResultIds(*engine_, q); }

  TempDir tmp_;
  std::string model_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(HybridSearchTest, TheIndexHoldsEveryProductsEmbeddingFromTheEncoder) {
  auto manifest = ReadManifest(tmp_.File("index"));
  ASSERT_OK(manifest);
  ASSERT_NE(snapshot_->encoder(), nullptr);
  ASSERT_NE(snapshot_->vectors(), nullptr);
  EXPECT_EQ(manifest->vectors_model, snapshot_->encoder()->fingerprint());
  EXPECT_EQ(manifest->vectors_dim, 32u);
  auto set = vector::ReadVectorFile(tmp_.File("index/vectors.soukvec"));
  ASSERT_OK(set);
  const std::vector<catalog::Product> products = SmallCatalog();
  ASSERT_EQ(set->ids.size(), products.size());
  for (size_t d = 0; d < products.size(); ++d) {
    EXPECT_EQ(set->ids[d], d);
    auto alone = snapshot_->encoder()->Encode(catalog::ProductText(products[d]));
    ASSERT_OK(alone);
    for (size_t i = 0; i < set->dim; ++i) {
      EXPECT_NEAR(set->values[d * set->dim + i], (*alone)[i], 1e-5) << products[d].id;
    }
  }
}

TEST_F(HybridSearchTest, WordMatchesComeFirstAndTheVectorsAddTheRest) {
  // Every product is a dense candidate (6 < dense_candidates); one that also matches the words
  // gets at least 1/(60+4) + 1/(60+6) > 1/(60+1), more than a vector match alone can.
  const std::vector<std::string> ids = Ids(Query("makita drill"));
  ASSERT_EQ(ids.size(), 6u);
  EXPECT_THAT(std::vector<std::string>(ids.begin(), ids.begin() + 4),
              UnorderedElementsAre("p1", "p2", "p5", "p6"));
  EXPECT_THAT(std::vector<std::string>(ids.begin() + 4, ids.end()),
              UnorderedElementsAre("p3", "p4"));
  // No word matches: BM25F alone would answer nothing.
  EXPECT_EQ(Ids(Query("submarine")).size(), 6u);
  SearchQuery with_facets = Query("makita drill");
  with_facets.facets = true;
  auto page = engine_->Search(with_facets);
  ASSERT_OK(page);
  for (size_t i = 1; i < page->items.size(); ++i) {
    EXPECT_GE(page->items[i - 1].score, page->items[i].score);
  }
  EXPECT_EQ(page->total_matches, 4u);  // products matching the words, counted with the facets
}

TEST_F(HybridSearchTest, TheQueryEmbeddingIsTimed) {
  auto page = engine_->Search(Query("titanium bits"));
  ASSERT_OK(page);
  EXPECT_GT(page->times.encode_us, 0);  // a forward pass of the model
}

TEST_F(HybridSearchTest, FiltersAndPagingApplyToTheFusedList) {
  SearchQuery makita = Query("submarine");
  makita.brands = {"Makita"};
  EXPECT_THAT(Ids(makita), UnorderedElementsAre("p1", "p6"));

  const std::vector<std::string> all = Ids(Query("drill", 10));
  auto first = engine_->Search(Query("drill", 4));
  ASSERT_OK(first);
  ASSERT_FALSE(first->next_page_token.empty());
  SearchQuery next = Query("drill", 4);
  next.page_token = first->next_page_token;
  auto second = engine_->Search(next);
  ASSERT_OK(second);
  EXPECT_TRUE(second->next_page_token.empty());
  std::vector<std::string> paged;
  for (const auto* page : {&*first, &*second}) {
    for (const ResultItem& item : page->items) paged.push_back(item.product->id);
  }
  EXPECT_EQ(paged, all);
}

TEST_F(HybridSearchTest, EveryCandidateHasItsCosineEvenOutsideTheDenseList) {
  SearchOptions shallow;
  shallow.dense_candidates = 2;
  auto engine = SearchEngine::Create(shallow, snapshot_);
  ASSERT_OK(engine);
  auto set = (*engine)->Candidates("drill");
  ASSERT_OK(set);
  auto embedding = snapshot_->encoder()->Encode("drill");
  ASSERT_OK(embedding);
  auto all = snapshot_->vectors()->Search(*embedding, SmallCatalog().size());
  ASSERT_OK(all);
  size_t outside = 0;
  for (const rank::Candidate& c : set->candidates) {
    ASSERT_TRUE(c.cosine.has_value());
    outside += c.dense_rank == 0 ? 1 : 0;
    for (const vector::Neighbor& n : all->at(0)) {
      if (n.id == c.doc.value()) {
        EXPECT_NEAR(*c.cosine, n.score, 1e-5);
      }
    }
  }
  EXPECT_GT(outside, 0u);  // BM25F found drills the two dense candidates left out
}

TEST(HybridSnapshotTest, VectorsOfAnotherModelOrNoneAreRefused) {
  TempDir tmp;
  const std::string model_a = WriteModel(tmp, "a", 1);
  const std::string model_b = WriteModel(tmp, "b", 2);
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), DenseOptions(tmp.File("index"), model_a)));
  EXPECT_THAT(Snapshot::Load(DenseOptions(tmp.File("index"), model_b)),
              StatusIs(absl::StatusCode::kFailedPrecondition, "made by the model"));
  // Without an encoder the same index serves BM25F alone.
  auto lexical_only = Snapshot::Load(OptionsFor(tmp.File("index")));
  ASSERT_OK(lexical_only);
  EXPECT_EQ((*lexical_only)->vectors(), nullptr);

  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp.File("plain"))));
  EXPECT_THAT(Snapshot::Load(DenseOptions(tmp.File("plain"), model_a)),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no product vectors"));
}

// An encoder reading text through the index's very analyzer is given the query's terms as
// BM25F searches them, typos corrected; one with another analyzer gets the text as typed.
TEST(HybridSnapshotTest, AnEncoderReadingTheIndexsTermsGetsThemSpellingCorrected) {
  TempDir tmp;
  auto load = [&](const std::string& name, const text::AnalyzerOptions& analyzer) {
    const std::string model = WriteModel(tmp, name, 3);
    SOUK_CHECK(encoder::WriteAnalyzerConfig(model, analyzer).ok());
    const SnapshotOptions options = DenseOptions(tmp.File(name + "-index"), model);
    SOUK_CHECK(WriteIndexDirectory(SmallCatalog(), options).ok());
    auto snapshot = Snapshot::Load(options);
    SOUK_CHECK(snapshot.ok());
    return *snapshot;
  };
  const std::shared_ptr<const Snapshot> same = load("same", {});
  const std::vector<std::string> terms = same->QueryTerms("makitta drill");
  ASSERT_THAT(terms, ElementsAre("makita", "drill"));
  auto typo =
      same->EncodeQuery("makitta drill", terms, encoder::TextEncoder::Clock::time_point::max());
  auto right = same->encoder()->Encode("makita drill");
  ASSERT_OK(typo);
  ASSERT_OK(right);
  EXPECT_EQ(*typo, *right);

  const std::shared_ptr<const Snapshot> other = load("other", {.stem_english = false});
  auto as_typed = other->EncodeQuery("makitta drill", other->QueryTerms("makitta drill"),
                                     encoder::TextEncoder::Clock::time_point::max());
  auto typed = other->encoder()->Encode("makitta drill");
  auto corrected = other->encoder()->Encode("makita drill");
  ASSERT_OK(as_typed);
  ASSERT_OK(typed);
  ASSERT_OK(corrected);
  EXPECT_EQ(*as_typed, *typed);
  EXPECT_NE(*as_typed, *corrected);
}

// The same searches through an HNSW graph: saved by the index build, or built at load for an
// index without one. On six products the graph's answers are exact.
TEST(HybridSnapshotTest, AnHnswBackendAnswersAsTheExactOne) {
  TempDir tmp;
  const std::string model = WriteModel(tmp, "model", 5);
  SnapshotOptions hnsw = DenseOptions(tmp.File("hnsw-index"), model);
  hnsw.vectors.backend = "hnsw";
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), hnsw));
  auto manifest = ReadManifest(hnsw.index_dir);
  ASSERT_OK(manifest);
  EXPECT_TRUE(manifest->vectors_hnsw);
  EXPECT_TRUE(std::filesystem::exists(tmp.File("hnsw-index/vectors.soukhnsw")));

  SnapshotOptions exact = DenseOptions(tmp.File("index"), model);
  ASSERT_OK(WriteIndexDirectory(SmallCatalog(), exact));
  EXPECT_FALSE(ReadManifest(exact.index_dir)->vectors_hnsw);
  SnapshotOptions built_at_load = exact;
  built_at_load.vectors.backend = "hnsw";

  std::vector<std::vector<std::string>> answers;
  for (const SnapshotOptions& options : {exact, hnsw, built_at_load}) {
    auto snapshot = Snapshot::Load(options);
    ASSERT_OK(snapshot);
    EXPECT_EQ((*snapshot)->vectors()->size(), SmallCatalog().size());
    auto engine = SearchEngine::Create(SearchOptions{}, *snapshot);
    ASSERT_OK(engine);
    SearchQuery makita = Query("submarine");
    makita.brands = {"Makita"};
    answers.push_back(testing::ResultIds(**engine, Query("makita drill")));
    answers.push_back(testing::ResultIds(**engine, makita));
  }
  EXPECT_EQ(answers[2], answers[0]);
  EXPECT_EQ(answers[3], answers[1]);
  EXPECT_EQ(answers[4], answers[0]);
  EXPECT_EQ(answers[5], answers[1]);
  EXPECT_THAT(answers[1], UnorderedElementsAre("p1", "p6"));
}

TEST(RankFusionTest, DocumentsInBothListsRiseAndTiesGoByDocId) {
  using catalog::DocId;
  const std::vector<FusedDoc> fused =
      FuseReciprocalRank({{DocId(7), DocId(3), DocId(5)}, {DocId(3), DocId(9)}}, 60);
  std::vector<uint32_t> order;
  for (const FusedDoc& f : fused) order.push_back(f.doc.value());
  // 3: 1/62 + 1/61; 7: 1/61; 9: 1/62; 5: 1/63. 7 and 9 differ; no two are tied here.
  EXPECT_THAT(order, ElementsAre(3u, 7u, 9u, 5u));
  EXPECT_NEAR(fused[0].score, 1.0 / 62 + 1.0 / 61, 1e-12);

  const std::vector<FusedDoc> tied = FuseReciprocalRank({{DocId(4)}, {DocId(2)}}, 60);
  EXPECT_EQ(tied[0].doc.value(), 2u);
  EXPECT_EQ(tied[1].doc.value(), 4u);
  EXPECT_TRUE(FuseReciprocalRank({}, 60).empty());
}

}  // namespace
}  // namespace souk::engine
