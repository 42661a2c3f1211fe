#include "souk/base/confidence.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace souk {

Interval WilsonInterval(uint64_t successes, uint64_t trials) {
  if (trials == 0) return {0, 0, 1};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {p, std::max(0.0, center - half), std::min(1.0, center + half)};
}

namespace {

// The rate sum(successes) / sum(trials) of `clusters` and the delta-method variance of its log.
struct LogRate {
  double rate = 0;
  double variance = 0;
};

std::optional<LogRate> ClusteredLogRate(std::span<const ClusterCounts> clusters) {
  const double n = static_cast<double>(clusters.size());
  double successes = 0, trials = 0;
  for (const ClusterCounts& c : clusters) successes += c.successes, trials += c.trials;
  if (clusters.size() < 2 || trials <= 0 || successes <= 0) return std::nullopt;
  const double rate = successes / trials;
  double squares = 0;  // residuals of each cluster against the overall rate
  for (const ClusterCounts& c : clusters) {
    squares += (c.successes - rate * c.trials) * (c.successes - rate * c.trials);
  }
  const double mean_trials = trials / n;
  const double variance = squares / (n - 1) / (n * mean_trials * mean_trials);
  return LogRate{rate, variance / (rate * rate)};
}

}  // namespace

Interval ClusteredRatioInterval(std::span<const ClusterCounts> b,
                                std::span<const ClusterCounts> a) {
  const std::optional<LogRate> rb = ClusteredLogRate(b), ra = ClusteredLogRate(a);
  if (!rb || !ra) return {0, 0, 0};
  const double log_ratio = std::log(rb->rate / ra->rate);
  const double se = std::sqrt(rb->variance + ra->variance);
  return {std::exp(log_ratio), std::exp(log_ratio - kZ95 * se), std::exp(log_ratio + kZ95 * se)};
}

Interval MeanInterval(std::span<const double> samples) {
  if (samples.empty()) return {0, 0, 0};
  const double n = static_cast<double>(samples.size());
  double sum = 0;
  for (const double x : samples) sum += x;
  const double mean = sum / n;
  if (samples.size() == 1) return {mean, mean, mean};
  double squares = 0;
  for (const double x : samples) squares += (x - mean) * (x - mean);
  const double half = kZ95 * std::sqrt(squares / (n - 1) / n);
  return {mean, mean - half, mean + half};
}

Interval RatioInterval(uint64_t b_successes, uint64_t b_trials, uint64_t a_successes,
                       uint64_t a_trials) {
  if (a_trials == 0 || b_trials == 0) return {0, 0, 0};
  double xb = static_cast<double>(b_successes), nb = static_cast<double>(b_trials);
  double xa = static_cast<double>(a_successes), na = static_cast<double>(a_trials);
  if (xa == 0 || xb == 0) {
    xa += 0.5, xb += 0.5, na += 0.5, nb += 0.5;
  }
  const double log_ratio = std::log((xb / nb) / (xa / na));
  const double se = std::sqrt(1 / xb - 1 / nb + 1 / xa - 1 / na);
  return {std::exp(log_ratio), std::exp(log_ratio - kZ95 * se), std::exp(log_ratio + kZ95 * se)};
}

}  // namespace souk
