#include "souk/train/promotion.h"

#include "souk/base/str_cat.h"

namespace souk::train {

PromotionDecision DecidePromotion(const HeldOutComparison& c, size_t min_count, bool force) {
  const std::string comparison =
      StrCat("held-out ", c.metric, " ", c.candidate, " against ", c.serving, "'s ", c.baseline,
             " over ", c.count, " ", c.cases, " (gain ", c.gain.estimate, ", 95% CI ", c.gain.low,
             " to ", c.gain.high, ")");
  if (force) return {true, StrCat("forced; ", comparison)};
  if (c.count < min_count) {
    return {false,
            StrCat("too few held-out ", c.cases, " to judge it (", c.count, " < ", min_count, ")")};
  }
  if (c.gain.high < 0) return {false, StrCat("worse than ", c.serving, ": ", comparison)};
  return {true, StrCat("not worse than ", c.serving, ": ", comparison)};
}

}  // namespace souk::train
