#include "ranker_flags.h"

#include "absl/strings/str_split.h"
#include "souk/base/status_macros.h"

namespace souk::apps {

absl::Status ReadRankerFlags(const Flags& flags, train::RankerTrainingOptions* o) {
  SOUK_ASSIGN_OR_RETURN(o->heldout_fraction, flags.GetDouble("heldout", o->heldout_fraction));
  if (flags.Has("no-position-debias")) o->position_debias = false;
  if (flags.Has("all-candidates")) o->shown_page_only = false;
  if (flags.Has("exclude-features")) {
    o->excluded_features = absl::StrSplit(flags.Get("exclude-features"), ',', absl::SkipEmpty());
  }
  SOUK_ASSIGN_OR_RETURN(o->propensity.min_propensity,
                        flags.GetDouble("min-propensity", o->propensity.min_propensity));
  rank::LambdaMartOptions& m = o->lambdamart;
  SOUK_ASSIGN_OR_RETURN(int64_t rounds, flags.GetInt("rounds", m.max_rounds));
  SOUK_ASSIGN_OR_RETURN(int64_t patience, flags.GetInt("early-stopping", m.early_stopping_rounds));
  SOUK_ASSIGN_OR_RETURN(int64_t depth, flags.GetInt("max-depth", m.max_depth));
  SOUK_ASSIGN_OR_RETURN(int64_t threads, flags.GetInt("threads", m.threads));
  SOUK_ASSIGN_OR_RETURN(int64_t seed, flags.GetInt("seed", static_cast<int64_t>(m.seed)));
  SOUK_ASSIGN_OR_RETURN(m.learning_rate, flags.GetDouble("lr", m.learning_rate));
  SOUK_ASSIGN_OR_RETURN(m.subsample, flags.GetDouble("subsample", m.subsample));
  SOUK_ASSIGN_OR_RETURN(m.colsample_bytree, flags.GetDouble("colsample", m.colsample_bytree));
  m.max_rounds = static_cast<int>(rounds);
  m.early_stopping_rounds = static_cast<int>(patience);
  m.max_depth = static_cast<int>(depth);
  m.threads = static_cast<int>(threads);
  m.seed = static_cast<uint64_t>(seed);
  o->seed = m.seed;
  return absl::OkStatus();
}

}  // namespace souk::apps
