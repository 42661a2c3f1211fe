// Position bias of logged searches: how likely a user looks at the result in position k, and the
// inverse-propensity weights that let a ranker learn from clicks as if every result had been
// seen (docs/ranking.md, "Learning from logged searches").
//
// Under the position-based model (Richardson et al. 2007; Craswell et al. 2008) a result at
// position k is clicked with probability theta_k * r(q, d): examined with theta_k, clicked when
// examined with its relevance r. EstimateExaminationPropensities finds theta from the log alone
// by intervention harvesting (Agarwal, Zaitsev, Wang, Li, Najork & Joachims, WSDM 2019): the same
// product of the same query shown at position 1 in some searches and at position k in others
// differs only by theta_k / theta_1 in its click rate. Each click is then weighted by
// 1 / theta of its position (Joachims, Swaminathan & Schnabel, WSDM 2017), which makes the
// ranker's loss an unbiased estimate of the loss under full examination.
//
// Sparse logs repeat few (query, product) pairs, so single positions come out noisy; the
// estimates are then made non-increasing in position (PropensityOptions::non_increasing).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "souk/train/search_log.h"

namespace souk::train {

struct PropensityOptions {
  int max_position = 10;  ///< Positions 1..max_position get their own estimate.
  size_t min_pairs = 20;  ///< Fewer (query, product) pairs at both 1 and k: fall back.
  /// Floor of each theta: caps a click's weight at 1 / min_propensity. Clipping trades a little
  /// bias for much less variance: on the demo shop (theta_k = 1/k) a floor of 0.3 gave the
  /// ranker that converted best online, 0.05 and 0.2 hardly beat BM25F (bench/RESULTS.md).
  double min_propensity = 0.3;
  /// Pool estimates that rise with position into their weighted mean (pool-adjacent-violators,
  /// weighted by each estimate's pairs): in a list, a lower place is never looked at more often,
  /// and sparse logs make single positions noisy.
  bool non_increasing = true;

  /// max_position >= 1, min_pairs >= 1, 0 < min_propensity <= 1 (errors name the option).
  absl::Status Validate() const;
};

struct Propensities {
  /// theta_k at index k - 1, theta_1 = 1, each in [min_propensity, 1].
  std::vector<double> theta;
  /// Positions whose pairs were too few: theta_k is there the ratio of the positions' overall
  /// click rates, which also carries the logging ranker's relevance ordering (an overestimate of
  /// the bias), or without any click the previous position's theta.
  std::vector<int> fallback_positions;

  /// theta of a 1-based position; positions beyond the estimates (or 0, unknown) get the last
  /// estimate or 1.
  double At(int position) const;
};

/// Estimates theta_1..theta_max_position from searches with a logged page. A product counts as
/// clicked at a position when it has an outcome there (cart and purchase imply the click).
/// Precondition: options.Validate() is ok (checked).
Propensities EstimateExaminationPropensities(const std::vector<LoggedSearch>& searches,
                                             const PropensityOptions& options = {});

/// One logged product response with its inverse-propensity weight: the sum over the searches of
/// `query` where `product` reached `grade` of 1 / theta(position).
struct WeightedOutcome {
  std::string query;  ///< Normalized query text.
  std::string product;
  int grade = 0;
  double weight = 0;
};

/// The outcomes of `searches`, merged per (query, product, grade), in order of first appearance.
std::vector<WeightedOutcome> WeightOutcomes(const std::vector<LoggedSearch>& searches,
                                            const Propensities& propensities);

}  // namespace souk::train
