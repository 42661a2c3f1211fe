// Ranker training over the engine's candidates: groups, skipped queries, the saved model, and
// bad input named.

#include "souk/train/ranker_training.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "souk/rank/ranker.h"
#include "souk/train/labeled_queries.h"
#include "support/test_support.h"
#include "unit/engine/engine_fixture.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

// Judgments that prefer the cheaper of the matching products.
constexpr char kQrels[] =
    "query_id\tquery\tproduct_uid\trelevance\n"
    "1\tdrill\tp6\t3\n1\tdrill\tp2\t2.67\n1\tdrill\tp5\t1\n"
    "2\tcordless drill\tp1\t3\n2\tcordless drill\tp5\t1.33\n"
    "3\tmakita\tp6\t3\n3\tmakita\tp1\t2\n"
    "4\tdrill bits\tp6\t3\n4\tdrill bits\tp2\t2.33\n"
    "5\those\tp1\t3\n";  // p1 is no candidate for "hose": nothing to learn

// Four searches for "drill": p6 clicked at position 2 and bought, p2 clicked at 1 three times;
// one for "makita": p1 clicked at 3. And "hose", whose click (p1) is no candidate. Position 1
// gets 3 clicks in 6 searches, positions 2 and 3 fewer: theta_2, theta_3 < 1.
constexpr char kSessions[] =
    R"({"ts":1700000010,"type":"search","request_id":"r1","query":"drill"}
{"ts":1700000020,"type":"impression","request_id":"r1","product_ids":["p2","p6","p5"]}
{"ts":1700000030,"type":"click","request_id":"r1","product_id":"p6","position":2}
{"ts":1700000040,"type":"add_to_cart","request_id":"r1","product_id":"p6","position":2}
{"ts":1700000050,"type":"purchase","request_id":"r1","product_id":"p6","position":2}
{"ts":1700000060,"type":"search","request_id":"r2","query":"Drill"}
{"ts":1700000070,"type":"impression","request_id":"r2","product_ids":["p2","p5","p6"]}
{"ts":1700000080,"type":"click","request_id":"r2","product_id":"p2","position":1}
{"ts":1700000090,"type":"search","request_id":"r3","query":"makita"}
{"ts":1700000100,"type":"impression","request_id":"r3","product_ids":["p6","p5","p1"]}
{"ts":1700000110,"type":"click","request_id":"r3","product_id":"p1","position":3}
{"ts":1700000120,"type":"search","request_id":"r4","query":"hose"}
{"ts":1700000130,"type":"impression","request_id":"r4","product_ids":["p4","p1"]}
{"ts":1700000140,"type":"click","request_id":"r4","product_id":"p1","position":2}
)"
    R"({"ts":1700000150,"type":"search","request_id":"r5","query":"drill"}
{"ts":1700000160,"type":"impression","request_id":"r5","product_ids":["p2","p6","p5"]}
{"ts":1700000170,"type":"click","request_id":"r5","product_id":"p2","position":1}
{"ts":1700000180,"type":"search","request_id":"r6","query":"drill"}
{"ts":1700000190,"type":"impression","request_id":"r6","product_ids":["p2","p6","p5"]}
{"ts":1700000200,"type":"click","request_id":"r6","product_id":"p2","position":1}
)";

class RankerTrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = engine::testing::SmallEngine(tmp_.File("index"));
    ASSERT_NE(engine_, nullptr);
    options_.qrels = {tmp_.WriteFile("qrels.tsv", kQrels)};
    options_.out = tmp_.File("ranker.json");
    options_.heldout_fraction = 0;
    options_.metrics.gain_offset = 1;
    options_.lambdamart.max_rounds = 5;
    options_.lambdamart.threads = 1;
  }

  // Judgments from kSessions' logged searches (grades 1..3, no offset) instead of the qrels.
  void UseSessionsOnly() {
    options_.qrels.clear();
    options_.sessions = {tmp_.WriteFile("events.jsonl", kSessions)};
    options_.metrics.gain_offset = 0;
  }

  TempDir tmp_;
  std::unique_ptr<engine::SearchEngine> engine_;
  RankerTrainingOptions options_;
};

TEST_F(RankerTrainingTest, TrainsOnTheServedCandidatesAndSavesALoadableRanker) {
  int rounds_seen = 0;
  auto result = TrainRanker(*engine_, options_, [&](const rank::RoundMetrics&) { ++rounds_seen; });
  ASSERT_OK(result);
  EXPECT_EQ(result->train_queries, 5u);
  EXPECT_EQ(result->heldout_queries, 0u);
  EXPECT_EQ(result->skipped_queries, 1u);  // "hose"
  size_t rows = 0;
  for (const char* q : {"drill", "cordless drill", "makita", "drill bits"}) {
    auto set = engine_->Candidates(q);
    ASSERT_OK(set);
    rows += set->candidates.size();
  }
  EXPECT_EQ(result->train_rows, rows);
  EXPECT_EQ(result->rounds, 5);
  EXPECT_EQ(rounds_seen, 5);
  auto ranker = rank::Ranker::Load(options_.out);
  ASSERT_OK(ranker);
  EXPECT_EQ((*ranker)->model().feature_names().size(), rank::kNumFeatures);
}

TEST_F(RankerTrainingTest, ExcludedFeaturesAreLeftOutOfTheModel) {
  options_.excluded_features = {"bm25f", "title_words"};
  ASSERT_OK(TrainRanker(*engine_, options_));
  auto ranker = rank::Ranker::Load(options_.out);
  ASSERT_OK(ranker);
  const std::vector<std::string>& names = (*ranker)->model().feature_names();
  EXPECT_EQ(names.size(), rank::kNumFeatures - 2);
  EXPECT_EQ(std::count(names.begin(), names.end(), "bm25f"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "title_words"), 0);
  EXPECT_EQ(names.front(), "bm25_reciprocal_rank");  // the others keep their order
  // It scores full feature-table rows as served.
  auto set = engine_->Candidates("cordless drill");
  ASSERT_OK(set);
  auto scores = (*ranker)->Score(set->features);
  ASSERT_OK(scores);
  EXPECT_EQ(scores->size(), set->candidates.size());
}

TEST_F(RankerTrainingTest, HeldOutQueriesAreReportedInBothOrders) {
  options_.heldout_fraction = 0.5;
  auto result = TrainRanker(*engine_, options_);
  ASSERT_OK(result);
  EXPECT_EQ(result->train_queries + result->heldout_queries, 5u);
  EXPECT_GT(result->heldout_queries, 0u);
  EXPECT_GT(result->heldout_ndcg_retrieval, 0.0);
  EXPECT_GT(result->heldout_ndcg_ranker, 0.0);
}

TEST_F(RankerTrainingTest, LoggedClicksMakeOneWeightedGroupPerOutcome) {
  UseSessionsOnly();
  auto debiased = TrainRanker(*engine_, options_);
  ASSERT_OK(debiased);
  EXPECT_EQ(debiased->train_queries, 6u);    // every search had an outcome
  EXPECT_EQ(debiased->skipped_queries, 1u);  // "hose"
  // One outcome per search: r1 p6 (grade 3), r2, r5, r6 p2 and r3 p1 (grade 1).
  EXPECT_EQ(debiased->train_groups, 5u);
  ASSERT_EQ(debiased->propensities.size(), 1u);
  const Propensities& theta = debiased->propensities[0];
  EXPECT_LT(theta.At(2), 1.0);
  // Each group weighs the sum of 1 / theta over its clicks.
  EXPECT_NEAR(debiased->train_weight, 1 / theta.At(2) + 3 / theta.At(1) + 1 / theta.At(3), 1e-5);

  options_.position_debias = false;
  auto plain = TrainRanker(*engine_, options_);
  ASSERT_OK(plain);
  EXPECT_EQ(plain->train_groups, 5u);  // one per search
  EXPECT_EQ(plain->train_weight, 5.0);
  EXPECT_TRUE(plain->propensities.empty());
}

// The rows of `query`'s candidates, of those on `shown` alone when it is not empty.
size_t CandidateRows(const engine::SearchEngine& engine, const std::string& query,
                     const std::vector<std::string>& shown) {
  auto set = engine.Candidates(query);
  if (!set.ok()) {
    ADD_FAILURE() << query << ": " << set.status();
    return 0;
  }
  size_t rows = 0;
  for (const rank::Candidate& c : set->candidates) {
    const std::string& id = set->snapshot->catalog().product(c.doc).id;
    rows += shown.empty() || std::count(shown.begin(), shown.end(), id) > 0;
  }
  return rows;
}

TEST_F(RankerTrainingTest, LoggedGroupsHoldTheShownPageUnlessAllCandidatesAreAsked) {
  UseSessionsOnly();
  options_.position_debias = false;  // one group per search with an outcome among candidates
  const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"drill", {"p2", "p6", "p5"}},   // r1
      {"drill", {"p2", "p5", "p6"}},   // r2
      {"makita", {"p6", "p5", "p1"}},  // r3
      {"drill", {"p2", "p6", "p5"}},   // r5
      {"drill", {"p2", "p6", "p5"}}};  // r6
  size_t shown_rows = 0, all_rows = 0;
  for (const auto& [query, shown] : groups) {
    shown_rows += CandidateRows(*engine_, query, shown);
    all_rows += CandidateRows(*engine_, query, {});
  }
  ASSERT_LT(shown_rows, all_rows);  // the fixture's candidates go beyond the pages

  auto shown_only = TrainRanker(*engine_, options_);
  ASSERT_OK(shown_only);
  EXPECT_EQ(shown_only->train_groups, 5u);
  EXPECT_EQ(shown_only->train_rows, shown_rows);

  options_.shown_page_only = false;
  auto all = TrainRanker(*engine_, options_);
  ASSERT_OK(all);
  EXPECT_EQ(all->train_groups, 5u);
  EXPECT_EQ(all->train_rows, all_rows);
}

TEST_F(RankerTrainingTest, HeldOutRelevantJudgmentsAreReportedApart) {
  options_.sessions = {tmp_.WriteFile("events.jsonl", kSessions)};
  options_.metrics.gain_offset = 0;
  options_.metrics.relevant_min_grade = 3;  // purchases; each qrels query has a 3 too
  options_.heldout_fraction = 0.5;
  // Grade-3 judgments: every qrels query, and the logged r1, which is not among the log's
  // most recent half (r4, r5, r6).
  size_t expected = 0;
  for (const std::string id : {"1", "2", "3", "4", "5"}) {
    expected += IsHeldOut(id, 0.5, options_.seed);
  }
  auto result = TrainRanker(*engine_, options_);
  ASSERT_OK(result);
  EXPECT_EQ(result->train_queries + result->heldout_queries, 5u + 6u);
  EXPECT_EQ(result->heldout_relevant_queries, expected);
  ASSERT_GT(expected, 0u);
  EXPECT_GT(result->heldout_relevant_ndcg_retrieval, 0.0);
}

TEST_F(RankerTrainingTest, SessionsAloneNeedNoQrels) {
  UseSessionsOnly();
  auto result = TrainRanker(*engine_, options_);
  ASSERT_OK(result);
  EXPECT_EQ(result->train_queries, 6u);
}

TEST_F(RankerTrainingTest, TheMostRecentLoggedSearchesAreHeldOut) {
  UseSessionsOnly();
  options_.heldout_fraction = 0.5;
  auto result = TrainRanker(*engine_, options_);
  ASSERT_OK(result);
  EXPECT_EQ(result->train_queries, 3u);    // r1, r2, r3
  EXPECT_EQ(result->heldout_queries, 3u);  // r4, r5, r6
  EXPECT_EQ(result->train_groups, 3u);
}

TEST_F(RankerTrainingTest, HeldOutLoggedSearchesCompareWithABaseline) {
  UseSessionsOnly();
  options_.heldout_fraction = 0.5;
  auto first = TrainRanker(*engine_, options_);
  ASSERT_OK(first);
  EXPECT_EQ(first->heldout_logged_searches, 3u);
  EXPECT_GT(first->heldout_ips_ndcg_retrieval, 0.0);
  EXPECT_LE(first->heldout_ips_ndcg_retrieval, 1.0);
  // Without a baseline ranker the baseline is retrieval order.
  EXPECT_EQ(first->heldout_ips_ndcg_baseline, first->heldout_ips_ndcg_retrieval);
  EXPECT_EQ(first->heldout_ndcg_baseline, first->heldout_ndcg_retrieval);
  // The paired gain is the difference of the means, its interval around it.
  const Interval gain = first->heldout_ips_ndcg_gain;
  EXPECT_NEAR(gain.estimate, first->heldout_ips_ndcg_ranker - first->heldout_ips_ndcg_baseline,
              1e-12);
  EXPECT_LE(gain.low, gain.estimate);
  EXPECT_GE(gain.high, gain.estimate);
  // Training is deterministic: the same ranker as baseline scores the same.
  RankerTrainingOptions again = options_;
  again.baseline_ranker = options_.out;
  again.out = tmp_.File("ranker-2.json");
  auto second = TrainRanker(*engine_, again);
  ASSERT_OK(second);
  EXPECT_DOUBLE_EQ(second->heldout_ips_ndcg_baseline, second->heldout_ips_ndcg_ranker);
  EXPECT_DOUBLE_EQ(second->heldout_ndcg_baseline, second->heldout_ndcg_ranker);
  EXPECT_EQ(second->heldout_ips_ndcg_gain.low, 0.0);  // no search differs
  EXPECT_EQ(second->heldout_ips_ndcg_gain.high, 0.0);
  again.baseline_ranker = tmp_.File("missing.json");
  EXPECT_THAT(TrainRanker(*engine_, again), StatusIs(absl::StatusCode::kNotFound, "baseline"));
}

TEST_F(RankerTrainingTest, BadInputIsNamed) {
  RankerTrainingOptions o = options_;
  o.qrels = {tmp_.WriteFile("unknown.tsv",
                            "query_id\tquery\tproduct_uid\trelevance\n"
                            "1\tdrill\tp99\t3\n")};
  EXPECT_THAT(TrainRanker(*engine_, o), StatusIs(absl::StatusCode::kInvalidArgument, "p99"));
  o.qrels.clear();
  EXPECT_THAT(TrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kInvalidArgument, "no judged queries"));
  o = options_;
  o.propensity.min_propensity = 1.5;
  EXPECT_THAT(TrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kInvalidArgument, "--min-propensity) must be in (0, 1]"));
  o.propensity.min_propensity = 0;
  EXPECT_THAT(TrainRanker(*engine_, o), StatusIs(absl::StatusCode::kInvalidArgument, "got 0"));
  o = options_;
  o.excluded_features = {"bm25"};
  EXPECT_THAT(TrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kInvalidArgument, "no ranking feature is named 'bm25'"));
  o = options_;
  o.label_scale = 0;
  EXPECT_THAT(TrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kInvalidArgument, "label_scale"));
  o = options_;
  o.qrels = {tmp_.WriteFile("nothing.tsv",
                            "query_id\tquery\tproduct_uid\trelevance\n"
                            "1\those\tp1\t3\n")};
  EXPECT_THAT(TrainRanker(*engine_, o),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no training query"));
  EXPECT_FALSE(std::filesystem::exists(options_.out));
}

}  // namespace
}  // namespace souk::train
