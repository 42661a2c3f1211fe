// Retraining from the event log: versions, the comparison with the serving ranker, promotion.

#include "souk/train/ranker_retrain.h"

#include <filesystem>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_log.h"
#include "souk/train/model_versions.h"
#include "support/test_support.h"
#include "unit/engine/engine_fixture.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

// 40 searches for "drill", each shown p2, p6, p5: p2 clicked at 1 in most, p6 clicked at 2 and
// bought in every third, so there is something to learn and a held-out share to judge.
std::vector<events::Event> DrillLog() {
  std::vector<events::Event> log;
  int64_t t = 1700000000000;
  int id = 0;
  const auto add = [&](events::Event e) {
    e.event_id = StrCat("e", ++id);
    e.timestamp_ms = (t += 1000);
    log.push_back(std::move(e));
  };
  for (int i = 0; i < 40; ++i) {
    const std::string request = StrCat("r", i), user = StrCat("u", i % 7);
    add({.user_id = user,
         .type = events::EventType::kSearch,
         .request_id = request,
         .query = "drill"});
    add({.user_id = user,
         .type = events::EventType::kImpression,
         .request_id = request,
         .product_ids = {"p2", "p6", "p5"}});
    const bool buys = i % 3 == 0;
    add({.user_id = user,
         .type = events::EventType::kClick,
         .request_id = request,
         .product_id = buys ? "p6" : "p2",
         .position = buys ? 2 : 1});
    if (buys) {
      add({.user_id = user,
           .type = events::EventType::kPurchase,
           .request_id = request,
           .product_id = "p6",
           .position = 2,
           .quantity = 1,
           .unit_price = 10});
    }
  }
  return log;
}

class RankerRetrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = engine::testing::SmallEngine(tmp_.File("index"));
    ASSERT_NE(engine_, nullptr);
    auto log = events::EventLog::Open({.path = tmp_.File("events"), .sync = false});
    ASSERT_OK(log);
    ASSERT_OK((*log)->Append(DrillLog()));
    options_.event_log = tmp_.File("events");
    options_.models_dir = tmp_.File("models/ranker");
    options_.min_heldout_searches = 5;
    options_.training.heldout_fraction = 0.25;
    options_.training.lambdamart.max_rounds = 5;
    options_.training.lambdamart.threads = 1;
  }

  nlohmann::json Report(const std::string& version) const {
    auto text = ReadFileToString(tmp_.File("models/ranker/" + version + "/report.json"));
    EXPECT_OK(text);
    return nlohmann::json::parse(text.ok() ? *text : "{}");
  }

  TempDir tmp_;
  std::unique_ptr<engine::SearchEngine> engine_;
  RankerRetrainOptions options_;
};

TEST_F(RankerRetrainTest, EachRetrainIsANewVersionJudgedAgainstTheCurrentOne) {
  options_.force = true;
  auto first = RetrainRanker(*engine_, options_);
  ASSERT_OK(first);
  EXPECT_EQ(first->version, "v1");
  EXPECT_EQ(first->serving_ranker, "");  // nothing served yet: retrieval order
  EXPECT_EQ(first->events, DrillLog().size());
  EXPECT_EQ(first->training.heldout_logged_searches, 10u);
  EXPECT_TRUE(first->decision.promote);
  EXPECT_EQ(first->decision.reason.rfind("forced", 0), 0u) << first->decision.reason;
  const ModelVersions versions(options_.models_dir);
  EXPECT_EQ(*versions.Current(), "v1");
  EXPECT_TRUE(std::filesystem::exists(tmp_.File("models/ranker/v1/ranker.json")));
  EXPECT_FALSE(std::filesystem::exists(tmp_.File("models/ranker/v1/events.jsonl")));
  const nlohmann::json report = Report("v1");
  EXPECT_EQ(report["version"], "v1");
  EXPECT_EQ(report["promoted"], true);
  EXPECT_EQ(report["forced"], true);
  EXPECT_EQ(report["heldout"]["searches"], 10);

  // The second is compared with v1; trained alike on the same log, it is the same ranker:
  // no held-out search differs, so it is not worse.
  options_.force = false;
  auto second = RetrainRanker(*engine_, options_);
  ASSERT_OK(second);
  EXPECT_EQ(second->version, "v2");
  EXPECT_EQ(second->serving_ranker, versions.PathOf("v1") + "/ranker.json");
  EXPECT_EQ(second->training.heldout_ips_ndcg_gain.high, 0.0);
  EXPECT_TRUE(second->decision.promote) << second->decision.reason;
  EXPECT_EQ(*versions.Current(), "v2");
  EXPECT_EQ(Report("v2")["serving_ranker"], second->serving_ranker);
}

TEST_F(RankerRetrainTest, TooFewHeldOutSearchesKeepTheServingVersion) {
  options_.min_heldout_searches = 11;
  auto result = RetrainRanker(*engine_, options_);
  ASSERT_OK(result);
  EXPECT_FALSE(result->decision.promote);
  EXPECT_NE(result->decision.reason.find("too few held-out"), std::string::npos);
  const ModelVersions versions(options_.models_dir);
  EXPECT_EQ(*versions.Latest(), 1);    // published for inspection
  EXPECT_EQ(*versions.Current(), "");  // never served
  EXPECT_EQ(Report("v1")["promoted"], false);
}

TEST(DecidePromotionTest, RefusesARankerWorseBeyondTheNoise) {
  RankerTrainingResult r;
  r.heldout_logged_searches = 500;
  r.heldout_ips_ndcg_gain = {-0.02, -0.03, -0.01};
  PromotionDecision d = DecidePromotion(CompareWithServing(r, true), 100, false);
  EXPECT_FALSE(d.promote);
  EXPECT_NE(d.reason.find("worse than the serving ranker"), std::string::npos) << d.reason;
  EXPECT_TRUE(DecidePromotion(CompareWithServing(r, true), 100, true).promote);  // forced
  r.heldout_ips_ndcg_gain = {-0.01, -0.03, 0.01};                                // within the noise
  EXPECT_TRUE(DecidePromotion(CompareWithServing(r, true), 100, false).promote);
  d = DecidePromotion(CompareWithServing(r, false), 1000, false);
  EXPECT_FALSE(d.promote);
  EXPECT_NE(d.reason.find("too few held-out searches"), std::string::npos) << d.reason;
}

TEST_F(RankerRetrainTest, BadInputIsNamedAndLeavesNoVersion) {
  RankerRetrainOptions o = options_;
  o.training.heldout_fraction = 0;
  EXPECT_THAT(RetrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kInvalidArgument, "heldout_fraction"));
  o = options_;
  o.serving_ranker = tmp_.File("missing.json");
  EXPECT_THAT(RetrainRanker(*engine_, o), StatusIs(absl::StatusCode::kNotFound, "baseline"));
  o = options_;
  o.event_log = tmp_.File("no-log");
  EXPECT_FALSE(RetrainRanker(*engine_, o).ok());
  EXPECT_EQ(*ModelVersions(options_.models_dir).Latest(), 0);
}

}  // namespace
}  // namespace souk::train
