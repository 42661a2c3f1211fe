// Search with a learned ranker: the ranker reorders the candidates, filters and paging still
// hold, Candidates() gives training exactly what serving scores, and bad rankers are refused.

#include <filesystem>
#include <random>

#include "engine_fixture.h"
#include "souk/base/str_cat.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/search_engine.h"
#include "souk/rank/lambdamart.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using testing::OptionsFor;
using testing::Query;
using testing::SmallCatalog;

// A ranker over one feature, "price", that learned that cheaper is better.
absl::Status WriteCheaperFirstRanker(const std::string& path) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> price(1, 200);
  rank::RankingData data;
  data.feature_names = {"price"};
  for (int g = 0; g < 50; ++g) {
    data.group_sizes.push_back(20);
    for (int d = 0; d < 20; ++d) {
      const float p = price(rng);
      data.features.push_back(p);
      data.labels.push_back(std::floor((200 - p) / 10));
    }
  }
  rank::LambdaMartOptions options;
  options.max_rounds = 50;
  options.threads = 1;
  auto model = rank::LambdaMart::Train(data, {}, options);
  if (!model.ok()) return model.status();
  return (*model)->Save(path);
}

class RankedSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(WriteIndexDirectory(SmallCatalog(), OptionsFor(tmp_.File("index"))));
    ASSERT_OK(WriteCheaperFirstRanker(tmp_.File("ranker.json")));
    SnapshotOptions options = OptionsFor(tmp_.File("index"));
    options.ranker_model = tmp_.File("ranker.json");
    auto snapshot = Snapshot::Load(options);
    ASSERT_OK(snapshot);
    ASSERT_NE((*snapshot)->ranker(), nullptr);
    auto engine = SearchEngine::Create(SearchOptions{}, *snapshot);
    ASSERT_OK(engine);
    engine_ = std::move(*engine);
  }

  TempDir tmp_;
  std::unique_ptr<SearchEngine> engine_;
};

TEST_F(RankedSearchTest, TheRankerOrdersTheCandidates) {
  // "drill" matches p1 (99.0), p2 (25.0), p5 (149.0) and p6 (19.0).
  auto page = engine_->Search(Query("drill"));
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 4u);
  for (size_t i = 1; i < page->items.size(); ++i) {
    EXPECT_GE(page->items[i - 1].score, page->items[i].score);
  }
  EXPECT_TRUE(page->items[0].product->id == "p6" || page->items[0].product->id == "p2");
  EXPECT_EQ(page->items[3].product->id, "p5");
  // Without the ranker, BM25F puts a drill with "drill" in a short title first, not the cheapest.
  auto plain_snapshot = Snapshot::Load(OptionsFor(tmp_.File("index")));
  ASSERT_OK(plain_snapshot);
  auto plain = SearchEngine::Create(SearchOptions{}, *plain_snapshot);
  ASSERT_OK(plain);
  EXPECT_NE(testing::ResultIds(**plain, Query("drill")),
            testing::ResultIds(*engine_, Query("drill")));
}

TEST_F(RankedSearchTest, FiltersAndPagingStillHold) {
  SearchQuery makita = Query("drill");
  makita.brands = {"Makita"};
  EXPECT_EQ(testing::ResultIds(*engine_, makita), (std::vector<std::string>{"p6", "p1"}));
  const std::vector<std::string> all = testing::ResultIds(*engine_, Query("drill"));
  auto first = engine_->Search(Query("drill", 2));
  ASSERT_OK(first);
  ASSERT_FALSE(first->next_page_token.empty());
  SearchQuery next = Query("drill", 2);
  next.page_token = first->next_page_token;
  auto second = engine_->Search(next);
  ASSERT_OK(second);
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[0].product->id, all[2]);
  EXPECT_EQ(second->items[1].product->id, all[3]);
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(RankedSearchTest, CandidatesAreWhatTheRankerScores) {
  auto set = engine_->Candidates("drill");
  ASSERT_OK(set);
  ASSERT_EQ(set->candidates.size(), 4u);
  ASSERT_EQ(set->features.size(), 4 * rank::kNumFeatures);
  auto scores = set->snapshot->ranker()->Score(set->features);
  ASSERT_OK(scores);
  auto page = engine_->Search(Query("drill"));
  ASSERT_OK(page);
  const size_t price = *rank::FindFeature("price");
  for (size_t i = 0; i < 4; ++i) {
    const catalog::Product& p = set->snapshot->catalog().product(set->candidates[i].doc);
    EXPECT_EQ(set->features[i * rank::kNumFeatures + price], static_cast<float>(*p.price));
    EXPECT_EQ(set->candidates[i].bm25_rank, i + 1);  // BM25F order without an encoder
    for (const ResultItem& item : page->items) {
      if (item.doc == set->candidates[i].doc) {
        EXPECT_EQ(item.score, (*scores)[i]);
      }
    }
  }
  EXPECT_THAT(engine_->Candidates(""), StatusIs(absl::StatusCode::kInvalidArgument, "query"));
}

TEST_F(RankedSearchTest, DebugExplanationsAddUpToTheScore) {
  SearchQuery q = Query("drill", 3);
  q.debug = true;
  auto page = engine_->Search(q);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(testing::ResultIds(*engine_, Query("drill", 3)),
            testing::ResultIds(*engine_, q));  // explaining changes nothing
  for (const ResultItem& item : page->items) {
    ASSERT_TRUE(item.explanation.has_value());
    const ResultExplanation& e = *item.explanation;
    ASSERT_TRUE(e.ranker_score.has_value());
    EXPECT_NEAR(*e.ranker_score, item.score, 1e-4);  // no rule moved it
    ASSERT_EQ(e.contributions.size(), 2u);           // "price" and the bias
    EXPECT_EQ(e.contributions[0].feature, "price");
    EXPECT_EQ(e.contributions[0].value, static_cast<float>(*item.product->price));
    EXPECT_EQ(e.contributions[1].feature, "bias");
    EXPECT_NEAR(e.contributions[0].contribution + e.contributions[1].contribution, item.score,
                1e-4);
    EXPECT_GT(e.bm25, 0.0f);
    EXPECT_GE(e.bm25_rank, 1u);
    EXPECT_FALSE(e.cosine.has_value());
  }
  EXPECT_FALSE(engine_->Search(Query("drill"))->items[0].explanation.has_value());
}

TEST_F(RankedSearchTest, ExplanationsSayWhatTheReviewsSay) {
  events::Aggregates aggregates({});
  aggregates.ApplySentiment("p1", 0.9);
  aggregates.ApplySentiment("p5", 0.3);
  auto engine = SearchEngine::Create(SearchOptions{}, engine_->snapshot(), &aggregates);
  ASSERT_OK(engine);
  SearchQuery q = Query("drill");
  q.debug = true;
  auto page = (*engine)->Search(q);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 4u);
  for (const ResultItem& item : page->items) {
    ASSERT_TRUE(item.explanation.has_value());
    const std::optional<float>& sentiment = item.explanation->review_sentiment;
    if (item.product->id == "p1") {
      ASSERT_TRUE(sentiment.has_value());
      EXPECT_NEAR(*sentiment, (0.9 + 2 * 0.6) / 3, 1e-6);  // the shop's mean is 0.6
    } else if (item.product->id == "p5") {
      ASSERT_TRUE(sentiment.has_value());
      EXPECT_NEAR(*sentiment, (0.3 + 2 * 0.6) / 3, 1e-6);
    } else {
      EXPECT_FALSE(sentiment.has_value()) << item.product->id;
    }
  }
}

TEST_F(RankedSearchTest, APinAndABoostTakeEffectAndAreExplained) {
  // The ranker puts the cheapest drills first and the DeWalt (p5, 149.0) last.
  rank::RulesConfig rules;
  rules.boosts = {{"dewalt-up", "drill", {"brand", "DeWalt"}, 2.0}};
  rules.pins = {{"hose-promo", "Drill", "p4", 2}};  // not a drill at all: pinned in
  ASSERT_OK(engine_->SetRules(rules));
  SearchQuery q = Query("drill");
  q.debug = true;
  auto page = engine_->Search(q);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 5u);
  EXPECT_EQ(page->items[0].product->id, "p5");
  EXPECT_EQ(page->items[0].explanation->rules, (std::vector<std::string>{"dewalt-up"}));
  ASSERT_TRUE(page->items[0].explanation->ranker_score.has_value());
  EXPECT_GT(page->items[0].score, *page->items[0].explanation->ranker_score);
  EXPECT_EQ(page->items[1].product->id, "p4");
  EXPECT_EQ(page->items[1].explanation->rules, (std::vector<std::string>{"hose-promo"}));
  EXPECT_EQ(page->items[1].explanation->bm25_rank, 0u);  // retrieval never saw it
  // Other queries are untouched; a filter that excludes the pinned product drops the pin.
  EXPECT_EQ(testing::ResultIds(*engine_, Query("hose")), (std::vector<std::string>{"p4"}));
  SearchQuery tools = Query("drill");
  tools.category = "Tools";
  EXPECT_EQ(testing::ResultIds(*engine_, tools).size(), 4u);
  // Bad rules are refused and the old ones stay.
  rank::RulesConfig bad;
  bad.pins = {{"", "drill", "p1", 1}};
  EXPECT_THAT(engine_->SetRules(bad), StatusIs(absl::StatusCode::kInvalidArgument, "id"));
  EXPECT_EQ(engine_->rules().pins.size(), 1u);
}

TEST_F(RankedSearchTest, ABadRankerIsRefusedByName) {
  SnapshotOptions options = OptionsFor(tmp_.File("index"));
  options.ranker_model = tmp_.WriteFile("bad.json", "not json at all");
  EXPECT_THAT(Snapshot::Load(options), StatusIs(absl::StatusCode::kInvalidArgument, "bad.json"));
  options.ranker_model = tmp_.File("missing.json");
  EXPECT_FALSE(Snapshot::Load(options).ok());
}

TEST_F(RankedSearchTest, AModelsDirectoryServesItsCurrentVersion) {
  namespace fs = std::filesystem;
  SnapshotOptions options = OptionsFor(tmp_.File("index"));
  options.ranker_model = tmp_.File("models");
  fs::create_directories(tmp_.File("models/v1"));
  auto before = Snapshot::Load(options);  // nothing promoted yet: retrieval order
  ASSERT_OK(before);
  EXPECT_EQ((*before)->ranker(), nullptr);
  fs::copy_file(tmp_.File("ranker.json"), tmp_.File("models/v1/ranker.json"));
  fs::create_directory_symlink("v1", tmp_.File("models/current"));
  auto after = Snapshot::Load(options);  // what a Reload after a promotion sees
  ASSERT_OK(after);
  ASSERT_NE((*after)->ranker(), nullptr);
  fs::remove(tmp_.File("models/v1/ranker.json"));
  tmp_.WriteFile("models/v1/ranker.json", "not json at all");
  EXPECT_FALSE(Snapshot::Load(options).ok());  // a broken version is an error, not a fallback
}

TEST_F(RankedSearchTest, EachUserIsRankedByTheirVariantsRanker) {
  SnapshotOptions options = OptionsFor(tmp_.File("index"));
  options.experiment.salt = "test";
  options.experiment.variants = {{"control", 1, ""}, {"cheap", 1, tmp_.File("ranker.json")}};
  auto snapshot = Snapshot::Load(options);
  ASSERT_OK(snapshot);
  ASSERT_EQ((*snapshot)->ranker(0), nullptr);
  ASSERT_NE((*snapshot)->ranker(1), nullptr);
  auto engine = SearchEngine::Create(SearchOptions{}, *snapshot);
  ASSERT_OK(engine);
  std::string user_of[2];
  for (int u = 0; user_of[0].empty() || user_of[1].empty(); ++u) {
    const std::string user = StrCat("u", u);
    user_of[(*snapshot)->split().VariantOf(user)] = user;
  }
  SearchQuery control = Query("drill");
  control.user_id = user_of[0];
  SearchQuery cheap = Query("drill");
  cheap.user_id = user_of[1];
  auto control_page = (*engine)->Search(control);
  auto cheap_page = (*engine)->Search(cheap);
  ASSERT_OK(control_page);
  ASSERT_OK(cheap_page);
  EXPECT_EQ(control_page->variant, "control");
  EXPECT_EQ(cheap_page->variant, "cheap");
  // The control ranks as BM25F does; the other variant as the ranker does.
  auto plain_snapshot = Snapshot::Load(OptionsFor(tmp_.File("index")));
  ASSERT_OK(plain_snapshot);
  auto plain = SearchEngine::Create(SearchOptions{}, *plain_snapshot);
  ASSERT_OK(plain);
  EXPECT_EQ(testing::ResultIds(**engine, control), testing::ResultIds(**plain, Query("drill")));
  EXPECT_EQ(testing::ResultIds(**engine, cheap), testing::ResultIds(*engine_, Query("drill")));
  // Anonymous searches go to the control.
  EXPECT_EQ((*engine)->Search(Query("drill"))->variant, "control");
}

TEST_F(RankedSearchTest, ExperimentOptionsAreChecked) {
  SnapshotOptions options = OptionsFor(tmp_.File("index"));
  options.experiment.variants = {{"a", 1, ""}, {"a", 1, ""}};
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "experiment"));
  options.experiment.variants = {{"a", 1, ""}};
  options.ranker_model = tmp_.File("ranker.json");
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "ranker.model"));
  options.ranker_model.clear();
  options.experiment.variants = {{"a", 1, tmp_.File("missing.json")}};
  EXPECT_THAT(std::string(Snapshot::Load(options).status().message()),
              ::testing::HasSubstr("experiment variant 'a'"));
}

}  // namespace
}  // namespace souk::engine
