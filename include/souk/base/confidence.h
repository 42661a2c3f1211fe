// 95% confidence intervals for the rates an A/B test compares.
//
// WilsonInterval: a proportion (successes of trials), by Wilson's score interval (Wilson, JASA
// 1927), which stays inside [0, 1] and keeps its coverage for small counts and rates near 0,
// where the normal approximation does not (Brown, Cai & DasGupta, Statistical Science 2001).
// RatioInterval: the ratio of two independent proportions (B's rate over A's, the "lift" + 1),
// on the log scale (Katz, Baptista, Azen & Pike, Biometrics 1978).
// ClusteredRatioInterval: the same ratio when the trials come in independent clusters but are
// not independent within one (a user's sessions), each rate's variance by the delta method over
// the clusters (Deng, Lu & Litz, "Applying the delta method in metric analytics", KDD 2018),
// combined on the log scale. With one trial per cluster it is Katz's interval.
// MeanInterval: the mean of independent samples (paired differences: one per held-out search),
// by the normal approximation, which suits the hundreds of samples it is used with.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace souk {

struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

/// z of a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

/// successes / trials with its 95% Wilson interval; {0, 0, 1} when trials == 0.
Interval WilsonInterval(uint64_t successes, uint64_t trials);

/// (b_successes / b_trials) / (a_successes / a_trials) with its 95% interval. With a zero
/// success count the log scale is undefined: 0.5 is then added to every count (the usual
/// continuity correction), estimate included. {0, 0, 0} when a trial count is 0.
Interval RatioInterval(uint64_t b_successes, uint64_t b_trials, uint64_t a_successes,
                       uint64_t a_trials);

/// One cluster's (a user's) successes and trials.
struct ClusterCounts {
  double successes = 0;
  double trials = 0;
};

/// (sum of b's successes / sum of b's trials) / (the same of a) with its 95% interval, each
/// element one cluster. {0, 0, 0} when either side has no trials, no successes or fewer than two
/// clusters (no variance to estimate).
Interval ClusteredRatioInterval(std::span<const ClusterCounts> b, std::span<const ClusterCounts> a);

/// The mean of `samples` with its 95% interval (mean -+ z * sample sd / sqrt(n)); {0, 0, 0}
/// without samples, the mean alone (low = high = mean) with one.
Interval MeanInterval(std::span<const double> samples);

}  // namespace souk
