#include "souk/engine/search_engine.h"

#include <atomic>
#include <thread>

#include "engine_fixture.h"
#include "souk/engine/index_directory.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using testing::OptionsFor;
using testing::Query;
using testing::SmallCatalog;
using ::testing::UnorderedElementsAre;

class SearchEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp_.File("index"))));
    auto snapshot = Snapshot::Load(OptionsFor(tmp_.File("index")));
    ASSERT_OK(snapshot);
    auto engine = SearchEngine::Create(SearchOptions{}, *snapshot);
    ASSERT_OK(engine);
    engine_ = std::move(*engine);
  }

  std::vector<std::string> Ids(const SearchQuery& q) { return testing::ResultIds(*engine_, q); }

  TempDir tmp_;
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(SearchEngineTest, FindsAndRanksByBm25) {
  EXPECT_THAT(Ids(Query("cordless drill")), ::testing::IsSupersetOf({"p1", "p5"}));
  const auto ids = Ids(Query("cordless drill"));
  ASSERT_GE(ids.size(), 2u);
  EXPECT_THAT((std::vector<std::string>{ids[0], ids[1]}), UnorderedElementsAre("p1", "p5"));
  EXPECT_THAT(Ids(Query("蓝牙耳机")), ElementsAre("p3"));
  EXPECT_THAT(Ids(Query("garden hoses")), ElementsAre("p4"));  // stemming
  EXPECT_TRUE(Ids(Query("submarine")).empty());
}

// lexical.rewrites: a synonym and a learned rewrite widen what a query finds, after a reload of
// the same index; a bad rule fails the load naming it.
TEST_F(SearchEngineTest, SynonymsAndLearnedRewritesWidenTheQuery) {
  EXPECT_THAT(Ids(Query("hosepipe")), ::testing::IsEmpty());
  EXPECT_THAT(Ids(Query("wireless earbuds")), ::testing::IsEmpty());
  SnapshotOptions options = OptionsFor(tmp_.File("index"));
  options.lexical.rewrites.synonyms = {"hosepipe, garden hose"};
  options.lexical.rewrites.learned_file =
      tmp_.WriteFile("learned.tsv", "from\tto\tusers\nwireless earbuds\t蓝牙耳机\t3\n");
  auto snapshot = Snapshot::Load(options);
  ASSERT_OK(snapshot);
  EXPECT_THAT((*snapshot)->QueryTerms("Hosepipe"), ElementsAre("hosepip", "garden", "hose"));
  engine_->Swap(*snapshot);
  EXPECT_THAT(Ids(Query("hosepipe")), ElementsAre("p4"));
  EXPECT_THAT(Ids(Query("wireless earbuds")), ElementsAre("p3"));
  // A learned rewrite needs its whole query.
  EXPECT_THAT(Ids(Query("wireless earbuds case")), ::testing::IsEmpty());

  options.lexical.rewrites.synonyms = {"hosepipe"};
  EXPECT_THAT(Snapshot::Load(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "rewrites.synonyms[0]"));
}

TEST_F(SearchEngineTest, DebugExplainsBm25WithoutChangingTheAnswer) {
  SearchQuery q = Query("cordless drill", 3);
  q.debug = true;
  auto page = engine_->Search(q);
  ASSERT_OK(page);
  EXPECT_EQ(Ids(q), Ids(Query("cordless drill", 3)));
  ASSERT_FALSE(page->items.empty());
  for (size_t i = 0; i < page->items.size(); ++i) {
    const ResultItem& item = page->items[i];
    ASSERT_TRUE(item.explanation.has_value());
    EXPECT_FLOAT_EQ(item.explanation->bm25, item.score);
    EXPECT_EQ(item.explanation->retrieval_score, item.score);
    EXPECT_EQ(item.explanation->bm25_rank, i + 1);
    EXPECT_FALSE(item.explanation->ranker_score.has_value());
    EXPECT_TRUE(item.explanation->contributions.empty());
  }
}

TEST_F(SearchEngineTest, APassedDeadlineStopsTheSearch) {
  SearchQuery q = Query("cordless drill");
  q.deadline = std::chrono::steady_clock::now() - std::chrono::milliseconds(1);
  EXPECT_THAT(engine_->Search(q),
              StatusIs(absl::StatusCode::kDeadlineExceeded, "before the search started"));
  q.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  EXPECT_OK(engine_->Search(q));
}

TEST_F(SearchEngineTest, StageTimesAreKeptPerSearch) {
  auto page = engine_->Search(Query("cordless drill"));
  ASSERT_OK(page);
  // No encoder and no ranker: those stages did not run.
  EXPECT_EQ(page->times.encode_us, 0);
  EXPECT_EQ(page->times.ann_us, 0);
  EXPECT_EQ(page->times.rank_us, 0);
  EXPECT_GE(page->times.analyze_us, 0);
  EXPECT_GE(page->times.lexical_us, 0);
}

TEST_F(SearchEngineTest, ScoresAreDescendingAndRequestIdsUnique) {
  auto a = engine_->Search(Query("drill"));
  auto b = engine_->Search(Query("drill"));
  ASSERT_OK(a);
  ASSERT_OK(b);
  for (size_t i = 1; i < a->items.size(); ++i) EXPECT_GE(a->items[i - 1].score, a->items[i].score);
  EXPECT_FALSE(a->request_id.empty());
  EXPECT_NE(a->request_id, b->request_id);
}

TEST_F(SearchEngineTest, PagesFollowEachOther) {
  const auto all = Ids(Query("drill", 10));
  ASSERT_EQ(all.size(), 4u);
  auto first = engine_->Search(Query("drill", 3));
  ASSERT_OK(first);
  ASSERT_FALSE(first->next_page_token.empty());
  SearchQuery next = Query("drill", 3);
  next.page_token = first->next_page_token;
  auto second = engine_->Search(next);
  ASSERT_OK(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].product->id, all[3]);
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(SearchEngineTest, TheLastPageHasNoTokenEvenWhenItIsFull) {
  auto first = engine_->Search(Query("drill", 2));
  ASSERT_OK(first);
  ASSERT_EQ(first->next_page_token, "o2");
  SearchQuery next = Query("drill", 2);
  next.page_token = first->next_page_token;
  auto second = engine_->Search(next);
  ASSERT_OK(second);
  EXPECT_EQ(second->items.size(), 2u);
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(SearchEngineTest, TheResultWindowCutsTheLastPageShort) {
  SearchOptions options;
  options.max_page_size = 2;
  options.max_result_window = 3;
  auto engine = SearchEngine::Create(options, engine_->snapshot());
  ASSERT_OK(engine);
  SearchQuery q = Query("drill", 2);
  q.page_token = "o2";
  auto page = (*engine)->Search(q);
  ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_TRUE(page->next_page_token.empty());
  q.page_token = "o3";
  EXPECT_THAT((*engine)->Search(q), StatusIs(absl::StatusCode::kInvalidArgument, "page_token"));
  q.page_token = "o18446744073709551615";
  EXPECT_THAT((*engine)->Search(q), StatusIs(absl::StatusCode::kInvalidArgument, "page_token"));
}

TEST_F(SearchEngineTest, FiltersApply) {
  SearchQuery q = Query("drill");
  q.brands = {"Makita"};
  EXPECT_THAT(Ids(q), UnorderedElementsAre("p1", "p6"));
  q = Query("drill");
  q.category = "Tools > Accessories";
  EXPECT_THAT(Ids(q), UnorderedElementsAre("p2", "p6"));
  q.category = "Tools>Accessories";  // written as catalog files may write it
  EXPECT_THAT(Ids(q), UnorderedElementsAre("p2", "p6"));
  q = Query("drill");
  q.in_stock_only = true;
  EXPECT_THAT(Ids(q), UnorderedElementsAre("p1", "p5", "p6"));
  q = Query("drill");
  q.min_price = 20;
  q.max_price = 100;
  EXPECT_THAT(Ids(q), UnorderedElementsAre("p1", "p2"));
}

TEST_F(SearchEngineTest, FacetsCountAllMatches) {
  SearchQuery q = Query("drill", 1);
  q.facets = true;
  auto page = engine_->Search(q);
  ASSERT_OK(page);
  ASSERT_TRUE(page->total_matches.has_value());
  EXPECT_EQ(*page->total_matches, 4u);
  EXPECT_THAT(page->facets.brands, ::testing::Contains(lexical::FacetValue{"Makita", 2}));
}

TEST_F(SearchEngineTest, BadRequestsNameTheField) {
  const auto code = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(engine_->Search(Query("")), StatusIs(code, "query: must not be empty"));
  EXPECT_THAT(engine_->Search(Query("   ")), StatusIs(code, "query: must not be empty"));
  EXPECT_THAT(engine_->Search(Query("drill", 0)), StatusIs(code, "page_size"));
  EXPECT_THAT(engine_->Search(Query("drill", 1001)), StatusIs(code, "page_size"));
  EXPECT_THAT(engine_->Search(Query("drill", -1)), StatusIs(code, "page_size"));
  EXPECT_THAT(engine_->Search(Query(std::string(1 << 20, 'a'))), StatusIs(code, "query:"));
  EXPECT_THAT(engine_->Search(Query("dri\xff\xfell")), StatusIs(code, "query: not valid UTF-8"));
  SearchQuery q = Query("drill");
  q.brands = {"Acme"};
  EXPECT_THAT(engine_->Search(q), StatusIs(code, "filters.brands"));
  q = Query("drill");
  q.category = "Tools > Nope";
  EXPECT_THAT(engine_->Search(q), StatusIs(code, "filters.category"));
  q = Query("drill");
  q.category = "Tools >  > Drills";
  EXPECT_THAT(engine_->Search(q), StatusIs(code, "filters.category: category"));
  q = Query("drill");
  q.page_token = "garbage";
  EXPECT_THAT(engine_->Search(q), StatusIs(code, "page_token"));
}

TEST_F(SearchEngineTest, SwapServesTheNewSnapshot) {
  auto products = SmallCatalog();
  products.resize(1);
  ASSERT_OK(WriteIndexDirectory(products, OptionsFor(tmp_.File("index2"))));
  auto old_page = engine_->Search(Query("drill"));
  ASSERT_OK(old_page);
  auto snapshot = Snapshot::Load(OptionsFor(tmp_.File("index2")));
  ASSERT_OK(snapshot);
  engine_->Swap(*snapshot);
  EXPECT_THAT(Ids(Query("drill")), ElementsAre("p1"));
  // A page taken before the swap still holds its own snapshot.
  EXPECT_EQ(old_page->items.size(), 4u);
  EXPECT_FALSE(old_page->items[0].product->id.empty());
}

TEST_F(SearchEngineTest, SearchesRunSafelyWhileSnapshotsSwap) {
  auto products = SmallCatalog();
  products.resize(1);
  ASSERT_OK(WriteIndexDirectory(products, OptionsFor(tmp_.File("small"))));
  auto small = Snapshot::Load(OptionsFor(tmp_.File("small")));
  ASSERT_OK(small);
  std::shared_ptr<const Snapshot> full = engine_->snapshot();
  std::atomic<bool> inconsistent{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 150; ++i) {
        auto page = engine_->Search(Query("drill"));
        // Each answer comes whole from one snapshot: 4 hits (full) or 1 (small).
        if (!page.ok() || (page->items.size() != 4 && page->items.size() != 1)) inconsistent = true;
      }
    });
  }
  for (int i = 0; i < 60; ++i) engine_->Swap(i % 2 == 0 ? *small : full);
  for (auto& r : readers) r.join();
  EXPECT_FALSE(inconsistent.load());
}

}  // namespace
}  // namespace souk::engine
