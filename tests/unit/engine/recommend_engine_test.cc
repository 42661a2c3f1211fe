// Recommend and SimilarItems over a small shop: histories and co-visitation from an interactions
// file, content neighbours from a random encoder's vectors, a random sequential model.
#include "souk/engine/recommend_engine.h"

#include <torch/torch.h>

#include "engine_fixture.h"
#include "souk/base/file_util.h"
#include "souk/encoder/model_directory.h"
#include "souk/engine/index_directory.h"
#include "souk/model/seqrec.h"
#include "souk/model/seqrec_model.h"
#include "souk/model/tensor_io.h"
#include "support/test_support.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeProduct;
using ::testing::Not;

// Tools, garden and kitchen products; t9 is out of stock.
std::vector<catalog::Product> Shop() {
  std::vector<catalog::Product> products;
  for (int i = 1; i <= 9; ++i) {
    products.push_back(MakeProduct("t" + std::to_string(i),
                                   "Cordless drill model " + std::to_string(i), "Makita",
                                   {"Tools", "Drills"}, 50.0 + i, i == 9 ? 0 : 5));
  }
  for (int i = 1; i <= 4; ++i) {
    products.push_back(MakeProduct("g" + std::to_string(i), "Garden hose " + std::to_string(i),
                                   "Gilmour", {"Garden"}, 20.0 + i));
  }
  products.push_back(MakeProduct("k1", "Coffee beans 1 kg", "Lavazza", {"Kitchen", "Coffee"}, 15));
  return products;
}

// t1 is followed by t2 (often) and g1; g3 is the trending product lately; "ghost" is in no
// catalog; alice bought t1, bob bought coffee.
std::string Interactions() {
  std::string out;
  for (int u = 0; u < 6; ++u)
    out += "u" + std::to_string(u) + " t1\nu" + std::to_string(u) + " t2\n";
  out += "v0 t1\nv0 g1\nv1 ghost\nv1 t3\n";
  for (int u = 0; u < 5; ++u) out += "w" + std::to_string(u) + " g3\n";
  out += "alice t1\nbob k1\n";
  return out;
}

std::vector<std::string> Ids(const RecommendPage& page) {
  std::vector<std::string> ids;
  for (const Recommended& r : page.items) ids.push_back(r.product->id);
  return ids;
}

std::string WriteEncoder(const TempDir& tmp) {
  model::BertConfig c;
  c.vocab_size = 30;
  c.hidden_size = 16;
  c.num_hidden_layers = 1;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 32;
  std::vector<std::string> vocab = {
      "[PAD]", "[UNK]",  "[CLS]", "[SEP]", "[MASK]", "cordless", "drill",  "model", "garden",
      "hose",  "coffee", "beans", "1",     "2",      "3",        "4",      "5",     "6",
      "7",     "8",      "9",     "kg",    "makita", "gilmour",  "lavazza"};
  model::ServingConfig serving;
  serving.max_length = 16;
  const std::string dir = tmp.File("encoder");
  SOUK_CHECK(encoder::WriteRandomModelDirectory(dir, c, serving, vocab, 3).ok());
  return dir;
}

class RecommendEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = testing::OptionsFor(tmp_.File("index"));
    options_.encoder.model_dir = WriteEncoder(tmp_);
    ASSERT_OK(WriteIndexDirectory(Shop(), options_));
    options_.recommender.interactions = tmp_.WriteFile("interactions.txt", Interactions());
    options_.recommender.trending_interactions = 7;  // w0..w4's g3, alice's t1, bob's k1
    Load(RecommendOptions{});
  }

  void Load(const RecommendOptions& recommend) {
    auto snapshot = Snapshot::Load(options_);
    ASSERT_OK(snapshot);
    auto search = SearchEngine::Create(SearchOptions{}, *snapshot);
    ASSERT_OK(search);
    search_ = std::move(*search);
    auto engine = RecommendEngine::Create(recommend, search_.get());
    ASSERT_OK(engine);
    engine_ = std::move(*engine);
  }

  RecommendPage Recommend(RecommendRequest request) {
    auto page = engine_->Recommend(request);
    EXPECT_OK(page);
    return page.ok() ? *std::move(page) : RecommendPage();
  }

  TempDir tmp_;
  SnapshotOptions options_;
  std::unique_ptr<SearchEngine> search_;
  std::unique_ptr<RecommendEngine> engine_;
};

TEST_F(RecommendEngineTest, AKnownUserGetsWhatFollowedTheirHistoryNeverTheHistoryItself) {
  const RecommendPage page = Recommend({.user_id = "alice", .page_size = 5});
  ASSERT_EQ(page.items.size(), 5u);
  EXPECT_EQ(page.items[0].product->id, "t2");
  EXPECT_THAT(page.items[0].source, HasSubstr("co-visitation"));
  EXPECT_GT(page.items[0].score, 0.0f);
  EXPECT_THAT(Ids(page), Not(Contains("t1")));
  EXPECT_THAT(Ids(page), Not(Contains("t9")));  // out of stock
  EXPECT_FALSE(page.request_id.empty());
}

TEST_F(RecommendEngineTest, UnknownAndAnonymousUsersGetTrendingProducts) {
  for (const std::string user : {"", "stranger"}) {
    const RecommendPage page = Recommend({.user_id = user, .page_size = 3});
    ASSERT_EQ(page.items.size(), 3u) << user;
    EXPECT_EQ(page.items[0].product->id, "g3") << user;  // the most frequent lately
    EXPECT_EQ(page.items[0].source, "trending");
    EXPECT_EQ(page.items[0].score, 0.0f);
  }
}

TEST_F(RecommendEngineTest, RecentProductsStandInForAStoredHistory) {
  const RecommendPage page = Recommend({.recent_product_ids = {"k1", "t1"}, .page_size = 3});
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items[0].product->id, "t2");
  EXPECT_THAT(Ids(page), Not(Contains("k1")));
  // Unknown ids are skipped, not an error.
  EXPECT_EQ(Recommend({.recent_product_ids = {"gone"}, .page_size = 2}).items.size(), 2u);
}

TEST_F(RecommendEngineTest, AProductPageAddsContentNeighboursAndLeavesThePageProductOut) {
  // g2 has no behaviour: its content neighbours are what the vectors say.
  const RecommendPage page =
      Recommend({.context = PageContext::kProduct, .context_product_id = "g2", .page_size = 4});
  ASSERT_EQ(page.items.size(), 4u);
  EXPECT_THAT(Ids(page), Not(Contains("g2")));
  const vector::VectorIndex& vectors = *page.snapshot->vectors();
  const catalog::DocId g2 = *page.snapshot->catalog().Find("g2");
  auto row = vectors.Row(g2.value());
  ASSERT_OK(row);
  auto nearest = vectors.Search(*row, 3);
  ASSERT_OK(nearest);
  // The nearest other than g2 itself (a product with the same text ties with it, in either
  // order).
  const vector::Neighbor& first = (*nearest)[0][0];
  const vector::Neighbor& other = first.id == g2.value() ? (*nearest)[0][1] : first;
  const std::string expected = page.snapshot->catalog().product(catalog::DocId(other.id)).id;
  EXPECT_EQ(page.items[0].product->id, expected);
  EXPECT_THAT(page.items[0].source, HasSubstr("content"));
}

TEST_F(RecommendEngineTest, NewUsersOnACategoryPageSeeThatCategorysTrendingFirst) {
  // v1's newest product is t3 (tools): tools trend first (t1, then t2), before g3.
  const RecommendPage page = Recommend({.recent_product_ids = {"t3"}, .page_size = 3});
  ASSERT_EQ(page.items.size(), 3u);
  for (const Recommended& r : page.items) {
    EXPECT_EQ(r.product->category_path[0], "Tools") << r.product->id;
  }
}

TEST_F(RecommendEngineTest, TheCategoryFilterHoldsAndBadRequestsAreNamed) {
  const RecommendPage page = Recommend({.user_id = "alice", .page_size = 10, .category = "Garden"});
  ASSERT_FALSE(page.items.empty());
  for (const Recommended& r : page.items) EXPECT_EQ(r.product->category_path[0], "Garden");
  EXPECT_THAT(engine_->Recommend({.page_size = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_size: 0"));
  EXPECT_THAT(engine_->Recommend({.page_size = 101}),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_size"));
  EXPECT_THAT(engine_->Recommend({.page_size = 5, .category = "Nowhere"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "Nowhere"));
  EXPECT_THAT(engine_->Recommend({.page_size = 5, .brands = {"Acme"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "Acme"));
  EXPECT_THAT(engine_->Recommend({.page_size = 5, .min_price = 30, .max_price = 10}),
              StatusIs(absl::StatusCode::kInvalidArgument, "price"));
  EXPECT_THAT(engine_->Recommend({.user_id = "\xff", .page_size = 5}),
              StatusIs(absl::StatusCode::kInvalidArgument, "user_id"));
  RecommendRequest many;
  many.recent_product_ids.assign(201, "t1");
  EXPECT_THAT(engine_->Recommend(many),
              StatusIs(absl::StatusCode::kInvalidArgument, "recent_product_ids: 201"));
}

TEST_F(RecommendEngineTest, BrandAndPriceFiltersHold) {
  const RecommendPage page =
      Recommend({.user_id = "alice", .page_size = 14, .brands = {"Makita"}, .max_price = 55});
  ASSERT_FALSE(page.items.empty());
  for (const Recommended& r : page.items) {
    EXPECT_EQ(r.product->brand, "Makita");
    EXPECT_LE(*r.product->price, 55.0);
  }
  EXPECT_THAT(Ids(page), Not(Contains("t1")));  // alice's own
}

TEST_F(RecommendEngineTest, OneCategoryIsCappedUntilTheOthersRunOut) {
  Load({.max_per_category = 1});
  const RecommendPage page = Recommend({.page_size = 4});
  ASSERT_EQ(page.items.size(), 4u);
  // Trending: g3, then t1, t2 ... by count; the second drill waits behind the other categories.
  std::vector<std::vector<std::string>> categories;
  for (const Recommended& r : page.items) categories.push_back(r.product->category_path);
  EXPECT_NE(categories[0], categories[1]);
  EXPECT_NE(categories[1], categories[2]);
}

TEST_F(RecommendEngineTest, RepeatPurchaseCategoriesMayBeRecommendedAgain) {
  EXPECT_THAT(Ids(Recommend({.user_id = "bob", .page_size = 14})), Not(Contains("k1")));
  Load({.max_per_category = 0, .repeat_purchase_categories = {"Kitchen"}});
  EXPECT_THAT(Ids(Recommend({.user_id = "bob", .page_size = 14})), Contains("k1"));
}

TEST_F(RecommendEngineTest, ACartGetsWhatIsBoughtWithIt) {
  // Orders pair k1 (coffee) with g4; no history links them.
  options_.recommender.baskets =
      tmp_.WriteFile("baskets.txt", "o1 k1\no1 g4\no2 k1\no2 g4\no3 g4\n");
  Load(RecommendOptions{});
  const RecommendPage page =
      Recommend({.recent_product_ids = {"k1"}, .context = PageContext::kCart, .page_size = 3});
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items[0].product->id, "g4");
  EXPECT_THAT(page.items[0].source, HasSubstr("bought-together"));
  // On the home page the same history gets no bought-together list.
  for (const Recommended& r :
       Recommend({.recent_product_ids = {"k1"}, .context = PageContext::kHome, .page_size = 3})
           .items) {
    EXPECT_THAT(r.source, Not(HasSubstr("bought-together")));
  }
}

TEST_F(RecommendEngineTest, SimilarItemsMergesCoVisitationAndContent) {
  auto similar = engine_->SimilarItems("t1", 5);
  ASSERT_OK(similar);
  ASSERT_EQ(similar->items.size(), 5u);
  EXPECT_EQ(similar->items[0].product->id, "t2");  // co-visited most, and a drill
  EXPECT_THAT(Ids(*similar), Not(Contains("t1")));
  EXPECT_THAT(Ids(*similar), Contains("g1"));  // co-visited, though another category
  EXPECT_THAT(engine_->SimilarItems("nope", 5), StatusIs(absl::StatusCode::kNotFound, "nope"));
  EXPECT_THAT(engine_->SimilarItems("t1", 0),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_size"));
}

TEST_F(RecommendEngineTest, TheSnapshotMapsItemsToProductsAndSkipsUnknownOnes) {
  const Snapshot& snap = *search_->snapshot();
  const recommend::Recommender& r = *snap.recommender();
  const recommend::ItemIndex ghost = r.items().Find("ghost");
  ASSERT_NE(ghost, 0u);
  EXPECT_FALSE(snap.ItemDoc(ghost).has_value());
  const recommend::ItemIndex t1 = r.items().Find("t1");
  ASSERT_TRUE(snap.ItemDoc(t1).has_value());
  EXPECT_EQ(snap.DocItem(*snap.ItemDoc(t1)), t1);
  EXPECT_EQ(snap.DocItem(*snap.catalog().Find("g2")), 0u);  // never interacted with
}

TEST_F(RecommendEngineTest, WithoutInteractionsContentAndTheCatalogStillAnswer) {
  options_.recommender.interactions.clear();
  Load(RecommendOptions{});
  const RecommendPage page = Recommend({.user_id = "alice", .page_size = 3});
  EXPECT_EQ(page.items.size(), 3u);
  auto similar = engine_->SimilarItems("t1", 3);
  ASSERT_OK(similar);
  EXPECT_EQ(similar->items.size(), 3u);
  EXPECT_THAT(similar->items[0].source, HasSubstr("content"));
}

// A random sequential model over the shop's products: its proposals join the merge.
TEST_F(RecommendEngineTest, TheSequentialModelProposesToo) {
  model::SeqRecConfig config;
  config.num_items = 4;
  config.hidden_size = 8;
  config.num_layers = 1;
  config.num_heads = 1;
  config.max_length = 4;
  const std::string dir = tmp_.File("seqrec");
  ASSERT_OK(MakeDirectories(dir));
  ASSERT_OK(config.Save(dir + "/" + model::kSeqRecConfigFile));
  torch::manual_seed(1);
  model::SasRec net(config);
  ASSERT_OK(model::WriteTensors(dir + "/" + model::kSeqRecWeightsFile, net->NamedParameters()));
  ASSERT_OK(WriteFileAtomically(dir + "/" + model::kSeqRecItemsFile, "g4\nt1\nt5\nt6\n"));
  options_.recommender.seqrec_model = dir;
  Load(RecommendOptions{});
  const RecommendPage page = Recommend({.user_id = "alice", .page_size = 14});
  std::string sources;
  for (const Recommended& r : page.items) sources += r.source + " ";
  EXPECT_THAT(sources, HasSubstr("sequential"));
  EXPECT_THAT(Ids(page), Not(Contains("t1")));
}

}  // namespace
}  // namespace souk::engine
