#include "souk/recommend/blend.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "souk/base/str_cat.h"

namespace souk::recommend {

absl::Status BlendOptions::Validate() const {
  if (!(rrf_k > 0)) return absl::InvalidArgumentError(StrCat("rrf_k must be > 0, got ", rrf_k));
  if (depth < 1) return absl::InvalidArgumentError("depth must be >= 1");
  return absl::OkStatus();
}

std::vector<ScoredItem> BlendByRank(std::span<const std::vector<ScoredItem>> lists, double rrf_k) {
  absl::flat_hash_map<ItemIndex, double> scores;
  for (const std::vector<ScoredItem>& list : lists) {
    for (size_t rank = 0; rank < list.size(); ++rank) {
      scores[list[rank].item] += 1.0 / (rrf_k + static_cast<double>(rank + 1));
    }
  }
  std::vector<std::pair<ItemIndex, double>> sorted(scores.begin(), scores.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<ScoredItem> blended;
  blended.reserve(sorted.size());
  for (const auto& [item, score] : sorted) blended.push_back({item, static_cast<float>(score)});
  return blended;
}

}  // namespace souk::recommend
