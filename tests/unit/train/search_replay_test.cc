// Search replay: each logged search sees the events before it and none after, for its user.

#include "souk/train/search_replay.h"

#include <cmath>
#include <string>
#include <vector>

#include "souk/rank/features.h"
#include "support/test_support.h"
#include "unit/engine/engine_fixture.h"

namespace souk::train {
namespace {

using events::Event;
using events::EventType;

constexpr int64_t kT0 = 1'800'000'000'000;

Event Search(int64_t t, std::string user, std::string request) {
  return {.timestamp_ms = t,
          .user_id = std::move(user),
          .type = EventType::kSearch,
          .request_id = std::move(request),
          .query = "drill"};
}

Event Act(EventType type, int64_t t, std::string user, std::string product) {
  return {.timestamp_ms = t,
          .user_id = std::move(user),
          .type = type,
          .product_id = std::move(product),
          .quantity = 1,
          .unit_price = 10};
}

class SearchReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = engine::testing::SmallEngine(tmp_.File("index"));
    ASSERT_NE(engine_, nullptr);
  }

  // The feature `name` of product `id` among `set`'s candidates (NaN when not a candidate).
  static float Feature(const engine::CandidateSet& set, std::string_view id,
                       std::string_view name) {
    for (size_t i = 0; i < set.candidates.size(); ++i) {
      if (set.snapshot->catalog().product(set.candidates[i].doc).id == id) {
        return set.features[i * rank::kNumFeatures + *rank::FindFeature(name)];
      }
    }
    return NAN;
  }

  souk::testing::TempDir tmp_;
  std::unique_ptr<engine::SearchEngine> engine_;
};

TEST_F(SearchReplayTest, EachSearchSeesOnlyTheEventsBeforeIt) {
  const std::vector<Event> log = {
      Search(kT0, "u1", "r1"),                            // nothing happened yet
      Act(EventType::kPurchase, kT0 + 1000, "u1", "p1"),  // u1 buys the Makita drill
      Search(kT0 + 2000, "u1", "r2"),                     // u1 again: history and counts
      Search(kT0 + 3000, "u2", "r3"),                     // u2: counts, no history
      Search(kT0 + 4000, "u2", "skipped"),
  };
  const std::string query = "drill";
  std::vector<std::string> seen;
  std::vector<engine::CandidateSet> sets;
  ASSERT_OK(ReplaySearches(
      *engine_, log, {.prior_strength = 0},
      [&](const Event& e) { return e.request_id == "skipped" ? nullptr : &query; },
      [&](const Event& e, engine::CandidateSet set) {
        seen.push_back(e.request_id);
        sets.push_back(std::move(set));
        return absl::OkStatus();
      }));
  ASSERT_EQ(seen, (std::vector<std::string>{"r1", "r2", "r3"}));
  EXPECT_EQ(Feature(sets[0], "p1", "log_product_purchases"), 0.0f);
  EXPECT_TRUE(std::isnan(Feature(sets[0], "p1", "user_product_purchases")));
  EXPECT_NEAR(Feature(sets[1], "p1", "log_product_purchases"), std::log(2.0f),
              1e-5);  // decayed 1 s
  EXPECT_EQ(Feature(sets[1], "p1", "user_product_purchases"), 1.0f);
  EXPECT_EQ(Feature(sets[1], "p6", "user_brand_affinity"), 1.0f);  // Makita too
  EXPECT_EQ(Feature(sets[1], "p5", "user_brand_affinity"), 0.0f);  // DeWalt
  EXPECT_NEAR(Feature(sets[2], "p1", "log_product_purchases"), std::log(2.0f), 1e-5);
  EXPECT_TRUE(std::isnan(Feature(sets[2], "p1", "user_product_purchases")));
}

TEST_F(SearchReplayTest, ReviewScoresCountFromTheirReviewOn) {
  const std::vector<Event> log = {
      Search(kT0, "u1", "r1"),
      Act(EventType::kReview, kT0 + 1000, "u1", "p1"),
      Act(EventType::kReview, kT0 + 2000, "u2", "p5"),
      Act(EventType::kReview, kT0 + 2500, "u2", "p6"),  // not scored (a blank text)
      Search(kT0 + 3000, "u2", "r2"),
  };
  const std::vector<float> scores = {NAN, 0.9f, 0.3f, NAN, NAN};
  const std::string query = "drill";
  std::vector<engine::CandidateSet> sets;
  ASSERT_OK(ReplaySearches(
      *engine_, log, {}, [&](const Event&) { return &query; },
      [&](const Event&, engine::CandidateSet set) {
        sets.push_back(std::move(set));
        return absl::OkStatus();
      },
      scores));
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_TRUE(std::isnan(Feature(sets[0], "p1", "review_sentiment")));
  // The shop's mean is 0.6; each product has one review and two of the mean's worth.
  EXPECT_NEAR(Feature(sets[1], "p1", "review_sentiment"), (0.9 + 1.2) / 3, 1e-6);
  EXPECT_NEAR(Feature(sets[1], "p5", "review_sentiment"), (0.3 + 1.2) / 3, 1e-6);
  EXPECT_TRUE(std::isnan(Feature(sets[1], "p6", "review_sentiment")));

  const std::vector<float> short_scores = {NAN};
  EXPECT_THAT(
      ReplaySearches(
          *engine_, log, {}, [&](const Event&) { return &query; },
          [&](const Event&, engine::CandidateSet) { return absl::OkStatus(); }, short_scores),
      souk::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                              "review_sentiment: 1 values for 5 events"));
}

TEST_F(SearchReplayTest, ScoreReviewsScoresReviewTextsOnly) {
  engine::testing::WriteTinySentimentModel(tmp_.File("sentiment"));
  auto classifier = encoder::SentimentClassifier::Load({.model_dir = tmp_.File("sentiment")});
  ASSERT_OK(classifier);
  std::vector<Event> log = {Search(kT0, "u1", "r1"), Act(EventType::kReview, kT0, "u1", "p1"),
                            Act(EventType::kReview, kT0, "u1", "p5"),
                            Act(EventType::kReview, kT0, "u1", "p6")};
  log[1].text = "great drill";
  log[2].text = " ";
  log[3].text = "bad";
  auto scores = ScoreReviews(log, **classifier);
  ASSERT_OK(scores);
  const std::vector<std::string> texts = {"great drill", "bad"};
  auto expected = (*classifier)->Score(texts);
  ASSERT_OK(expected);
  ASSERT_EQ(scores->size(), 4u);
  EXPECT_TRUE(std::isnan((*scores)[0]));
  EXPECT_FLOAT_EQ((*scores)[1], (*expected)[0]);
  EXPECT_TRUE(std::isnan((*scores)[2]));
  EXPECT_FLOAT_EQ((*scores)[3], (*expected)[1]);
}

TEST_F(SearchReplayTest, ErrorsStopTheReplayNamingTheSearch) {
  const std::vector<Event> log = {Search(kT0, "u1", "r1"), Search(kT0, "u1", "r2")};
  const std::string empty;
  int visits = 0;
  EXPECT_THAT(ReplaySearches(
                  *engine_, log, {}, [&](const Event&) { return &empty; },
                  [&](const Event&, engine::CandidateSet) {
                    ++visits;
                    return absl::OkStatus();
                  }),
              souk::testing::StatusIs(absl::StatusCode::kInvalidArgument, "search r1"));
  EXPECT_EQ(visits, 0);
}

}  // namespace
}  // namespace souk::train
