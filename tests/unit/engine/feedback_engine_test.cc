// FeedbackEngine: events checked against the serving catalog, logged, counted; the counts come
// back after a restart; a server without an event log refuses feedback.

#include "souk/engine/feedback_engine.h"

#include "engine_fixture.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
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
  std::unique_ptr<FeedbackEngine> Engine(bool with_log = true) {
    FeedbackOptions options;
    if (with_log) options.log.path = tmp_.File("events");
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

}  // namespace
}  // namespace souk::engine
