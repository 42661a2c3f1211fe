#include "souk/train/position_bias.h"

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace souk::train {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

constexpr int kPositions = 10;

// A log from the position-based model with theta_k = 1 / k: each query has kPositions products
// of random relevance, and a noisy logging ranker puts the more relevant ones higher, so that
// the raw click rate of a position mixes its examination with the relevance placed there.
std::vector<LoggedSearch> SimulatedLog(uint64_t seed, int queries, int searches_per_query) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::normal_distribution<double> noise(0, 0.35);
  std::vector<LoggedSearch> log;
  for (int q = 0; q < queries; ++q) {
    std::vector<double> relevance(kPositions);
    for (double& r : relevance) r = 0.05 + 0.9 * uniform(rng);
    for (int s = 0; s < searches_per_query; ++s) {
      std::vector<std::pair<double, int>> order;
      for (int d = 0; d < kPositions; ++d) order.emplace_back(relevance[d] + noise(rng), d);
      std::sort(order.rbegin(), order.rend());
      LoggedSearch search{"r", "query " + std::to_string(q), {}, {}};
      for (int k = 1; k <= kPositions; ++k) {
        const int d = order[k - 1].second;
        search.shown.push_back("p" + std::to_string(d));
        if (uniform(rng) < relevance[d] / k) search.outcomes.push_back({search.shown.back(), k, 1});
      }
      log.push_back(std::move(search));
    }
  }
  return log;
}

// The estimates are checked under a floor of 0.05, below the simulated 1/k, so that the default
// floor (0.3, a training choice) does not hide them.
const PropensityOptions kLowFloor{.min_propensity = 0.05};

TEST(EstimateExaminationPropensitiesTest, RecoversTheSimulatedBiasFromTheLogAlone) {
  const Propensities p = EstimateExaminationPropensities(SimulatedLog(7, 400, 60), kLowFloor);
  ASSERT_EQ(p.theta.size(), static_cast<size_t>(kPositions));
  EXPECT_TRUE(p.fallback_positions.empty());
  EXPECT_EQ(p.theta[0], 1.0);
  for (int k = 2; k <= kPositions; ++k) {
    EXPECT_THAT(p.theta[k - 1], DoubleNear(1.0 / k, 0.25 / k)) << "position " << k;
  }
}

TEST(EstimateExaminationPropensitiesTest, RawClickRatesOverstateTheBiasWhereHarvestingFallsBack) {
  const std::vector<LoggedSearch> log = SimulatedLog(7, 400, 60);
  const Propensities p =
      EstimateExaminationPropensities(log, {.min_pairs = 1000000, .min_propensity = 0.05});
  EXPECT_THAT(p.fallback_positions, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10));
  // Relevant products sit higher, so raw click rates fall faster than examination does.
  EXPECT_LT(p.theta[4], 0.8 * (1.0 / 5));
  EXPECT_LT(p.theta[9], 0.8 * (1.0 / 10));
}

TEST(EstimateExaminationPropensitiesTest, PropensitiesStayWithinTheFloorAndOne) {
  // Clicks only at position 1: position 2 estimates 0 and is floored; position 3 has no pair
  // and no click (the raw click rate, 0, is floored too); position 4 was never shown.
  std::vector<LoggedSearch> log;
  for (int s = 0; s < 50; ++s) {
    log.push_back({"r", "q", {"a", "b", "c"}, {{"a", 1, 1}}});
    log.push_back({"r", "q", {"b", "a", "c"}, {{"b", 1, 1}}});
  }
  const Propensities p = EstimateExaminationPropensities(
      log, {.max_position = 4, .min_pairs = 1, .min_propensity = 0.05});
  EXPECT_THAT(p.theta, ElementsAre(1.0, 0.05, 0.05, 0.05));
  EXPECT_THAT(p.fallback_positions, ElementsAre(3, 4));
  EXPECT_EQ(p.At(0), 1.0);  // unknown position
  EXPECT_EQ(p.At(2), 0.05);
  EXPECT_EQ(p.At(40), 0.05);  // beyond the estimates: the last one
}

// Product a for query q: clicked 10 of 10 times at position 1, 2 of 10 at 2, 6 of 10 at 3.
std::vector<LoggedSearch> RisingAtThree() {
  std::vector<LoggedSearch> log;
  for (int s = 0; s < 10; ++s) {
    log.push_back({"r", "q", {"a", "b", "c"}, {{"a", 1, 1}}});
    log.push_back({"r", "q", {"b", "a", "c"}, {}});
    if (s < 2) log.back().outcomes.push_back({"a", 2, 1});
    log.push_back({"r", "q", {"b", "c", "a"}, {}});
    if (s < 6) log.back().outcomes.push_back({"a", 3, 1});
  }
  return log;
}

TEST(EstimateExaminationPropensitiesTest, EstimatesThatRiseWithPositionArePooled) {
  const PropensityOptions raw{
      .max_position = 3, .min_pairs = 1, .min_propensity = 0.05, .non_increasing = false};
  EXPECT_THAT(EstimateExaminationPropensities(RisingAtThree(), raw).theta,
              ElementsAre(1.0, DoubleNear(0.2, 1e-12), DoubleNear(0.6, 1e-12)));
  const PropensityOptions pooled{.max_position = 3, .min_pairs = 1, .min_propensity = 0.05};
  EXPECT_THAT(EstimateExaminationPropensities(RisingAtThree(), pooled).theta,
              ElementsAre(1.0, DoubleNear(0.4, 1e-12), DoubleNear(0.4, 1e-12)));
}

TEST(WeightOutcomesTest, SumsInversePropensitiesPerQueryProductAndGrade) {
  const Propensities p{.theta = {1.0, 0.5, 0.25}, .fallback_positions = {}};
  const std::vector<LoggedSearch> log = {
      {"r1", "drill", {"a", "b"}, {{"b", 2, 1}, {"a", 1, 3}}},
      {"r2", "drill", {"b", "a"}, {{"b", 1, 1}}},
      {"r3", "drill", {}, {{"b", 0, 1}}},  // position unknown: weight 1
      {"r4", "hose", {"x", "y", "b"}, {{"b", 3, 1}}},
  };
  const std::vector<WeightedOutcome> weighted = WeightOutcomes(log, p);
  ASSERT_EQ(weighted.size(), 3u);
  EXPECT_EQ(weighted[0].query, "drill");
  EXPECT_EQ(weighted[0].product, "b");
  EXPECT_EQ(weighted[0].grade, 1);
  EXPECT_DOUBLE_EQ(weighted[0].weight, 2 + 1 + 1);
  EXPECT_EQ(weighted[1].product, "a");
  EXPECT_EQ(weighted[1].grade, 3);
  EXPECT_DOUBLE_EQ(weighted[1].weight, 1);
  EXPECT_EQ(weighted[2].query, "hose");
  EXPECT_DOUBLE_EQ(weighted[2].weight, 4);
}

}  // namespace
}  // namespace souk::train
