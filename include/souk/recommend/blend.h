// Blending recommenders by reciprocal rank (Cormack, Clarke & Buettcher, SIGIR 2009): the
// sequential model and co-visitation score on scales that cannot be compared, so each list adds
// 1 / (k + rank) to an item's score, rank counted from 1. On Amazon Beauty's second-to-last
// items the blend of the two beat either alone by 12% in NDCG@10 (docs/recommend.md).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "souk/recommend/item_to_item.h"

namespace souk::recommend {

struct BlendOptions {
  // Defaults: the standard k; the surface is flat on Beauty's second-to-last items (NDCG@10
  // within 0.0005 for k 10-60 with equal weights).
  double rrf_k = 60;
  size_t depth = 100;  ///< Items taken from each recommender's list.

  /// rrf_k > 0, depth >= 1.
  absl::Status Validate() const;
};

/// Every item of `lists` (each best first, without repeats), best blended score first; equal
/// scores by smaller item index. Scores are the reciprocal-rank sums.
std::vector<ScoredItem> BlendByRank(std::span<const std::vector<ScoredItem>> lists, double rrf_k);

}  // namespace souk::recommend
