#include "souk/eval/metrics.h"

#include <cmath>

#include "support/test_support.h"

namespace souk::eval {
namespace {

constexpr double kEps = 1e-9;

const MetricOptions kLinear;

TEST(NdcgTest, ThreeDocumentExampleComputedByHand) {
  // Judged: d1=1, d2=3, d3=0, d4=2 (d4 is not retrieved). Ranking d1, d2, d3; linear gain.
  //   DCG@3  = 1/log2(2) + 3/log2(3) + 0/log2(4)      = 1 + 1.892789 + 0        = 2.892789
  //   IDCG@3 = 3/log2(2) + 2/log2(3) + 1/log2(4)      = 3 + 1.261860 + 0.5      = 4.761860
  //   NDCG@3 = 2.892789 / 4.761860                                                = 0.607492
  const Judgments judged = {{"d1", 1}, {"d2", 3}, {"d3", 0}, {"d4", 2}};
  const std::vector<std::string> ranking = {"d1", "d2", "d3"};
  EXPECT_NEAR(NdcgAtK(ranking, judged, 3, kLinear),
              (1 + 3 / std::log2(3.0)) / (3 + 2 / std::log2(3.0) + 0.5), kEps);
  EXPECT_NEAR(NdcgAtK(ranking, judged, 3, kLinear), 0.6074915180, kEps);
  // @1: DCG = 1, IDCG = 3.
  EXPECT_NEAR(NdcgAtK(ranking, judged, 1, kLinear), 1.0 / 3.0, kEps);
}

TEST(NdcgTest, ExponentialGain) {
  // Gains 2^g - 1: d1=1, d2=7, d3=0, d4=3.
  //   DCG@3 = 1 + 7/log2(3) = 5.416508;  IDCG@3 = 7 + 3/log2(3) + 1/2 = 9.392789;  NDCG = 0.576667
  const Judgments judged = {{"d1", 1}, {"d2", 3}, {"d3", 0}, {"d4", 2}};
  MetricOptions options;
  options.exponential_gain = true;
  EXPECT_NEAR(NdcgAtK({"d1", "d2", "d3"}, judged, 3, options), 0.5766666455, kEps);
}

TEST(NdcgTest, HomeDepotGradesWithOffsetOne) {
  // Grades 1..3 with gain = grade - 1: a=0, b=2, c=1.33, d=1; "x" is unjudged (gain 0).
  //   Ranking c, x, b:  DCG@3 = 1.33/1 + 0 + 2/2 = 2.33
  //   Ideal b, c, d:   IDCG@3 = 2/1 + 1.33/log2(3) + 1/2 = 3.339137;  NDCG = 0.697785
  const Judgments judged = {{"a", 1}, {"b", 3}, {"c", 2.33}, {"d", 2}};
  MetricOptions options;
  options.gain_offset = 1.0;
  EXPECT_NEAR(NdcgAtK({"c", "x", "b"}, judged, 3, options), 0.6977851758, kEps);
  // The ideal is cut at k too: @2, DCG = 1.33, IDCG = 2 + 1.33/log2(3).
  EXPECT_NEAR(NdcgAtK({"c", "x", "b"}, judged, 2, options), 0.4684522798, kEps);
}

TEST(NdcgTest, PerfectAndEmptyCases) {
  const Judgments judged = {{"a", 3}, {"b", 2}, {"c", 1}};
  EXPECT_NEAR(NdcgAtK({"a", "b", "c", "z"}, judged, 10, kLinear), 1.0, kEps);
  // Ties in grade: any order among equals is ideal.
  EXPECT_NEAR(NdcgAtK({"b", "a"}, {{"a", 2}, {"b", 2}}, 2, kLinear), 1.0, kEps);
  EXPECT_EQ(NdcgAtK({}, judged, 10, kLinear), 0.0);
  EXPECT_EQ(NdcgAtK({"a"}, judged, 0, kLinear), 0.0);
  EXPECT_EQ(NdcgAtK({"a"}, {}, 10, kLinear), 0.0);
  // Ideal DCG is 0 when every gain clamps to 0: 0, not NaN.
  MetricOptions offset;
  offset.gain_offset = 3.0;
  EXPECT_EQ(NdcgAtK({"a", "b"}, judged, 10, offset), 0.0);
  // Negative grades (e.g. TREC's -2 for spam) clamp to gain 0.
  EXPECT_NEAR(NdcgAtK({"s", "a"}, {{"s", -2}, {"a", 1}}, 2, kLinear), 1.0 / std::log2(3.0), kEps);
}

TEST(NdcgTest, RepeatedDocumentCountsOnce) {
  const Judgments judged = {{"a", 3}, {"b", 3}};
  // Without the rule "a, a" would score (3 + 3/log2 3) / (3 + 3/log2 3) = 1.
  EXPECT_NEAR(NdcgAtK({"a", "a"}, judged, 2, kLinear), 3 / (3 + 3 / std::log2(3.0)), kEps);
  EXPECT_LE(NdcgAtK({"a", "a", "a", "b"}, judged, 4, kLinear), 1.0);
}

TEST(RecallTest, CountsDocumentsAtOrAboveTheMinimumGrade) {
  const Judgments judged = {{"a", 3}, {"b", 2.67}, {"c", 1.33}, {"d", 2}};
  MetricOptions options;
  options.relevant_min_grade = 2.0;  // a, b, d are relevant; c is not
  EXPECT_NEAR(RecallAtK({"c", "a", "x", "d"}, judged, 4, options), 2.0 / 3.0, kEps);
  EXPECT_NEAR(RecallAtK({"c", "a", "x", "d"}, judged, 2, options), 1.0 / 3.0, kEps);
  EXPECT_NEAR(RecallAtK({"a", "a", "a"}, judged, 3, options), 1.0 / 3.0, kEps);
  EXPECT_NEAR(RecallAtK({"d", "b", "a"}, judged, 3, options), 1.0, kEps);
  EXPECT_EQ(RecallAtK({"a"}, judged, 0, options), 0.0);
  // Default minimum grade 1: every judged document here is relevant.
  EXPECT_NEAR(RecallAtK({"c"}, judged, 5, kLinear), 0.25, kEps);
  // No relevant document: 0, not NaN.
  options.relevant_min_grade = 4.0;
  EXPECT_EQ(RecallAtK({"a"}, judged, 5, options), 0.0);
}

TEST(ReciprocalRankTest, FirstRelevantWithinK) {
  const Judgments judged = {{"a", 1}, {"b", 3}};
  MetricOptions options;
  options.relevant_min_grade = 2.0;
  EXPECT_NEAR(ReciprocalRankAtK({"x", "a", "b"}, judged, 10, options), 1.0 / 3.0, kEps);
  EXPECT_EQ(ReciprocalRankAtK({"x", "a", "b"}, judged, 2, options), 0.0);
  EXPECT_EQ(ReciprocalRankAtK({"b"}, judged, 1, options), 1.0);
  EXPECT_NEAR(ReciprocalRankAtK({"x", "a"}, judged, 10, kLinear), 0.5, kEps);
  EXPECT_EQ(ReciprocalRankAtK({}, judged, 10, kLinear), 0.0);
}

TEST(IsRelevantTest, CountsGradesAtOrAboveTheThreshold) {
  MetricOptions options;
  options.relevant_min_grade = 2.0;
  EXPECT_FALSE(IsRelevant(1.99, options));
  EXPECT_TRUE(IsRelevant(2.0, options));
  EXPECT_TRUE(IsRelevant(3.0, options));
  // RecallAtK counts exactly what IsRelevant accepts.
  const Judgments judged = {{"a", 1.0}, {"b", 2.0}, {"c", 3.0}};
  EXPECT_NEAR(RecallAtK({"b"}, judged, 10, options), 0.5, kEps);
  EXPECT_NEAR(RecallAtK({"a"}, judged, 10, options), 0.0, kEps);
}

}  // namespace
}  // namespace souk::eval
