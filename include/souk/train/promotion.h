// Whether a retrained model replaces the serving one (`souk retrain`, docs/feedback.md): both
// are scored on the same held-out recent events, the difference is taken case by case (a
// search, a user) with its 95% interval, and the new model is refused when that interval lies
// entirely below zero (worse beyond the noise of the held-out cases) or when too few cases were
// held out to judge it. `force` promotes it whatever the comparison says.
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string>

#include "souk/base/confidence.h"

namespace souk::train {

struct HeldOutComparison {
  std::string metric;    ///< What was scored, e.g. "debiased NDCG@10".
  std::string cases;     ///< What a case is, plural: "searches", "users".
  std::string serving;   ///< What served: "the serving ranker", "retrieval order".
  size_t count = 0;      ///< Held-out cases.
  double candidate = 0;  ///< The new model's mean.
  double baseline = 0;   ///< The serving one's mean.
  Interval gain;         ///< candidate - baseline, case by case.
};

struct PromotionDecision {
  bool promote = false;
  std::string reason;  ///< Why, in words, for the report and the log.
};

PromotionDecision DecidePromotion(const HeldOutComparison& comparison, size_t min_count,
                                  bool force);

}  // namespace souk::train
