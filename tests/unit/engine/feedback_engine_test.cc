// FeedbackEngine: events checked against the serving catalog, logged, counted; the counts come
// back after a restart; a server without an event log refuses feedback.

#include "souk/engine/feedback_engine.h"

#include "engine_fixture.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/sentiment_classifier.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/snapshot.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

class FeedbackEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    search_ = testing::SmallEngine(tmp_.File("index"));
    ASSERT_NE(search_, nullptr);
  }

  // A fresh engine over fresh aggregates (a restart: the old engine's are left behind).
  std::unique_ptr<FeedbackEngine> Engine(bool with_log = true, std::string sentiment_model = "") {
    FeedbackOptions options;
    if (with_log) options.log.path = tmp_.File("events");
    options.sentiment.classifier.model_dir = std::move(sentiment_model);
    aggregates_.push_back(std::make_unique<events::Aggregates>(options.aggregates));
    auto engine = FeedbackEngine::Create(
        options, search_.get(), events::TrafficSplit::Single("all"), aggregates_.back().get());
    EXPECT_OK(engine);
    return engine.ok() ? std::move(*engine) : nullptr;
  }

  static events::Event Purchase(std::string id, std::string product) {
    return {.event_id = std::move(id),
            .timestamp_ms = NowUnixMillis() - 60000,
            .user_id = "u1",
            .session_id = "s1",
            .type = events::EventType::kPurchase,
            .product_id = std::move(product),
            .quantity = 2,
            .unit_price = 10};
  }

  static events::Event Review(std::string id, std::string product, std::string text) {
    return {.event_id = std::move(id),
            .timestamp_ms = NowUnixMillis() - 60000,
            .user_id = "u1",
            .session_id = "s1",
            .type = events::EventType::kReview,
            .product_id = std::move(product),
            .rating = 4,
            .text = std::move(text)};
  }

  std::string SentimentModel() { return testing::WriteTinySentimentModel(tmp_.File("sentiment")); }

  TempDir tmp_;
  std::unique_ptr<SearchEngine> search_;
  std::vector<std::unique_ptr<events::Aggregates>> aggregates_;
};

TEST_F(FeedbackEngineTest, LogsGoodEventsAndNamesTheBadOnes) {
  std::unique_ptr<FeedbackEngine> engine = Engine();
  auto result = engine->Log({Purchase("a", "p1"), Purchase("b", "nope"), Purchase("a", "p1")});
  ASSERT_OK(result);
  EXPECT_EQ(result->accepted, 1u);
  EXPECT_EQ(result->duplicates, 1u);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].index, 1u);
  EXPECT_THAT(result->errors[0].message, ::testing::HasSubstr("unknown product 'nope'"));
  EXPECT_EQ(engine->logged(), 1u);
  EXPECT_EQ(engine->aggregates().RecentActions("u1").size(), 1u);
}

TEST_F(FeedbackEngineTest, CountsEachProductUnderItsCatalogBrand) {
  const int64_t now = NowUnixMillis();
  {
    std::unique_ptr<FeedbackEngine> engine = Engine();
    ASSERT_OK(engine->Log({Purchase("a", "p1"), Purchase("b", "p5")}));
    EXPECT_NEAR(engine->aggregates().BrandCounts("Makita", now).purchases, 2.0, 0.01);
    EXPECT_NEAR(engine->aggregates().BrandCounts("DeWalt", now).purchases, 2.0, 0.01);
    EXPECT_EQ(engine->aggregates().BrandCounts("Bosch", now).purchases, 0.0);
  }
  std::unique_ptr<FeedbackEngine> restarted = Engine();
  EXPECT_NEAR(restarted->aggregates().BrandCounts("Makita", now).purchases, 2.0, 0.01);
}

TEST_F(FeedbackEngineTest, ARestartReplaysTheLogIntoTheSameCounts) {
  const int64_t now = NowUnixMillis();
  double purchases = 0;
  {
    std::unique_ptr<FeedbackEngine> engine = Engine();
    ASSERT_OK(engine->Log({Purchase("a", "p1"), Purchase("b", "p5")}));
    purchases = engine->aggregates().Counts("p5", now).purchases;
  }
  std::unique_ptr<FeedbackEngine> restarted = Engine();
  EXPECT_EQ(restarted->logged(), 2u);
  EXPECT_DOUBLE_EQ(restarted->aggregates().Counts("p5", now).purchases, purchases);
  EXPECT_EQ(restarted->aggregates().RecentActions("u1").size(), 2u);
  const events::VariantReport report = restarted->metrics().Report(now - 3600000, now)[0];
  EXPECT_EQ(report.counts.purchases, 2u);
  EXPECT_DOUBLE_EQ(report.counts.revenue, 40);
}

TEST_F(FeedbackEngineTest, RefusesBatchesWithoutALogOrOutOfBounds) {
  std::unique_ptr<FeedbackEngine> off = Engine(/*with_log=*/false);
  EXPECT_THAT(off->Log({Purchase("a", "p1")}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "feedback.event_log"));
  std::unique_ptr<FeedbackEngine> engine = Engine();
  EXPECT_THAT(engine->Log({}), StatusIs(absl::StatusCode::kInvalidArgument, "empty"));
  std::vector<events::Event> many;
  for (int i = 0; i < 10001; ++i) many.push_back(Purchase(StrCat("e", i), "p1"));
  EXPECT_THAT(engine->Log(many), StatusIs(absl::StatusCode::kInvalidArgument, "10001 events"));
  EXPECT_EQ(engine->logged(), 0u);
}

TEST_F(FeedbackEngineTest, ReviewTextIsScoredIntoTheAggregatesAndAgainAfterARestart) {
  const std::string model = SentimentModel();
  auto classifier = encoder::SentimentClassifier::Load({.model_dir = model});
  ASSERT_OK(classifier);
  const std::vector<std::string> texts = {"great drill", "broke fast bad"};
  auto scores = (*classifier)->Score(texts);
  ASSERT_OK(scores);
  {
    std::unique_ptr<FeedbackEngine> engine = Engine(true, model);
    ASSERT_NE(engine->review_scorer(), nullptr);
    ASSERT_OK(engine->Log({Review("r1", "p1", texts[0]), Review("r2", "p1", texts[1]),
                           Review("r3", "p5", "  "), Purchase("a", "p5")}));
    engine->review_scorer()->WaitUntilIdle();
    EXPECT_EQ(engine->review_scorer()->scored(), 2u);  // a blank review says nothing
    EXPECT_DOUBLE_EQ(engine->aggregates().Sentiment("p1").reviews, 2);
    EXPECT_NEAR(engine->aggregates().Sentiment("p1").positive, (*scores)[0] + (*scores)[1], 1e-5);
    EXPECT_DOUBLE_EQ(engine->aggregates().Sentiment("p5").reviews, 0);
  }
  {
    std::unique_ptr<FeedbackEngine> restarted = Engine(true, model);
    restarted->review_scorer()->WaitUntilIdle();
    EXPECT_DOUBLE_EQ(restarted->aggregates().Sentiment("p1").reviews, 2);
    EXPECT_NEAR(restarted->aggregates().Sentiment("p1").positive, (*scores)[0] + (*scores)[1],
                1e-5);
  }

  // Without a model, reviews are counted but not scored.
  std::unique_ptr<FeedbackEngine> plain = Engine();
  EXPECT_EQ(plain->review_scorer(), nullptr);
  EXPECT_DOUBLE_EQ(plain->aggregates().Sentiment("p1").reviews, 0);
}

TEST_F(FeedbackEngineTest, ABadSentimentModelStopsTheStart) {
  FeedbackOptions options;
  options.log.path = tmp_.File("events");
  options.sentiment.classifier.model_dir = tmp_.File("no-model");
  events::Aggregates aggregates(options.aggregates);
  EXPECT_THAT(FeedbackEngine::Create(options, search_.get(), events::TrafficSplit::Single("all"),
                                     &aggregates),
              StatusIs(absl::StatusCode::kNotFound, "no-model"));
  options.sentiment.classifier.model_dir = SentimentModel();
  options.sentiment.max_pending = 0;
  EXPECT_THAT(FeedbackEngine::Create(options, search_.get(), events::TrafficSplit::Single("all"),
                                     &aggregates),
              StatusIs(absl::StatusCode::kInvalidArgument, "sentiment.max_pending"));
}

TEST_F(FeedbackEngineTest, TheScorerCountsEveryReviewAsScoredOrDropped) {
  auto classifier = encoder::SentimentClassifier::Load({.model_dir = SentimentModel()});
  ASSERT_OK(classifier);
  events::Aggregates aggregates({});
  ReviewScorer scorer(*std::move(classifier), &aggregates, /*max_pending=*/4, /*batch_size=*/2);
  uint64_t refused = 0;
  for (int i = 0; i < 200; ++i) {
    refused += scorer.Submit(StrCat("p", i % 3), i % 2 == 0 ? "great drill" : "bad") ? 0 : 1;
  }
  scorer.WaitUntilIdle();
  EXPECT_EQ(scorer.dropped(), refused);
  EXPECT_EQ(scorer.scored() + scorer.dropped(), 200u);
  EXPECT_EQ(scorer.failed(), 0u);
  EXPECT_DOUBLE_EQ(aggregates.ShopSentiment().reviews, static_cast<double>(scorer.scored()));
}

}  // namespace
}  // namespace souk::engine
