#include "souk/engine/rank_fusion.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace souk::engine {

std::vector<FusedDoc> FuseReciprocalRank(const std::vector<std::vector<catalog::DocId>>& lists,
                                         double k) {
  absl::flat_hash_map<uint32_t, double> scores;
  for (const std::vector<catalog::DocId>& list : lists) {
    for (size_t rank = 0; rank < list.size(); ++rank) {
      scores[list[rank].value()] += 1.0 / (k + static_cast<double>(rank + 1));
    }
  }
  std::vector<FusedDoc> fused;
  fused.reserve(scores.size());
  for (const auto& [doc, score] : scores) fused.push_back({catalog::DocId(doc), score});
  std::sort(fused.begin(), fused.end(), [](const FusedDoc& a, const FusedDoc& b) {
    return a.score != b.score ? a.score > b.score : a.doc.value() < b.doc.value();
  });
  return fused;
}

}  // namespace souk::engine
