// Flags `souk train ranker` and `souk retrain` share: the held-out split, position debiasing,
// the features and XGBoost's LambdaMART settings (docs/cli.md).
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "flags.h"
#include "souk/train/ranker_training.h"

namespace souk::apps {

inline const std::set<std::string> kRankerFlags = {
    "heldout",   "min-propensity", "exclude-features", "rounds", "early-stopping", "lr",
    "max-depth", "subsample",      "colsample",        "seed",   "threads"};
inline const std::set<std::string> kRankerBooleans = {"no-position-debias", "all-candidates"};

/// Fills `options` from kRankerFlags and kRankerBooleans; absent flags keep its values.
absl::Status ReadRankerFlags(const Flags& flags, train::RankerTrainingOptions* options);

}  // namespace souk::apps
