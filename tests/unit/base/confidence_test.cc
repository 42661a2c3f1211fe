#include "souk/base/confidence.h"

#include <vector>

#include "support/test_support.h"

namespace souk {
namespace {

using ::testing::DoubleNear;

TEST(ConfidenceTest, WilsonMatchesPublishedValues) {
  // Brown, Cai & DasGupta (2001) and R's prop.test(correct = FALSE): 10 of 50 -> [0.1124, 0.3304].
  const Interval i = WilsonInterval(10, 50);
  EXPECT_DOUBLE_EQ(i.estimate, 0.2);
  EXPECT_THAT(i.low, DoubleNear(0.1124, 1e-4));
  EXPECT_THAT(i.high, DoubleNear(0.3304, 1e-4));
  const Interval none = WilsonInterval(0, 20);  // stays inside [0, 1]
  EXPECT_DOUBLE_EQ(none.low, 0);
  EXPECT_THAT(none.high, DoubleNear(0.1611, 1e-4));
  const Interval empty = WilsonInterval(0, 0);
  EXPECT_DOUBLE_EQ(empty.high, 1);
}

TEST(ConfidenceTest, ClusteredRatioWidensWhenTrialsCluster) {
  // One trial per cluster: Katz's interval, up to n / (n - 1) in the variance.
  std::vector<ClusterCounts> a(1000), b(1000);
  for (int i = 0; i < 100; ++i) a[i].successes = 1;
  for (int i = 0; i < 120; ++i) b[i].successes = 1;
  for (ClusterCounts& c : a) c.trials = 1;
  for (ClusterCounts& c : b) c.trials = 1;
  const Interval single = ClusteredRatioInterval(b, a);
  const Interval katz = RatioInterval(120, 1000, 100, 1000);
  EXPECT_DOUBLE_EQ(single.estimate, 1.2);
  EXPECT_THAT(single.low, DoubleNear(katz.low, 1e-3));
  EXPECT_THAT(single.high, DoubleNear(katz.high, 1e-3));
  // The same totals from 100 clusters of 10 trials that succeed all or nothing: as uncertain
  // as 100 trials, so far wider.
  std::vector<ClusterCounts> a10(100, {0, 10}), b10(100, {0, 10});
  for (int i = 0; i < 10; ++i) a10[i].successes = 10;
  for (int i = 0; i < 12; ++i) b10[i].successes = 10;
  const Interval clustered = ClusteredRatioInterval(b10, a10);
  EXPECT_DOUBLE_EQ(clustered.estimate, 1.2);
  EXPECT_LT(clustered.low, single.low - 0.2);
  EXPECT_GT(clustered.high, single.high + 0.3);
  EXPECT_DOUBLE_EQ(ClusteredRatioInterval(b10, {}).high, 0);  // no clusters
}

TEST(ConfidenceTest, MeanIntervalIsTheNormalApproximation) {
  // 1..5: mean 3, sample sd sqrt(2.5), half width 1.96 * sqrt(2.5 / 5) = 1.3859.
  const std::vector<double> samples = {1, 2, 3, 4, 5};
  const Interval i = MeanInterval(samples);
  EXPECT_DOUBLE_EQ(i.estimate, 3);
  EXPECT_THAT(i.low, DoubleNear(1.6141, 1e-4));
  EXPECT_THAT(i.high, DoubleNear(4.3859, 1e-4));
  const std::vector<double> one = {0.25};
  EXPECT_DOUBLE_EQ(MeanInterval(one).low, 0.25);
  EXPECT_DOUBLE_EQ(MeanInterval(one).high, 0.25);
  EXPECT_DOUBLE_EQ(MeanInterval({}).estimate, 0);
}

TEST(ConfidenceTest, RatioIntervalCoversTheLiftOnTheLogScale) {
  // 120 of 1000 against 100 of 1000: ratio 1.2, Katz interval [0.9341, 1.5416].
  const Interval r = RatioInterval(120, 1000, 100, 1000);
  EXPECT_DOUBLE_EQ(r.estimate, 1.2);
  EXPECT_THAT(r.low, DoubleNear(0.9341, 1e-4));
  EXPECT_THAT(r.high, DoubleNear(1.5416, 1e-4));
  // More data, same rates: narrower and excluding 1.
  const Interval big = RatioInterval(1200, 10000, 1000, 10000);
  EXPECT_GT(big.low, 1.0);
  EXPECT_LT(big.high - big.low, r.high - r.low);
  const Interval zero = RatioInterval(5, 100, 0, 100);  // continuity-corrected, finite
  EXPECT_TRUE(std::isfinite(zero.high));
  EXPECT_DOUBLE_EQ(RatioInterval(1, 0, 1, 10).estimate, 0);
}

}  // namespace
}  // namespace souk
