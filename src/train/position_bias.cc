#include "souk/train/position_bias.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "souk/base/check.h"
#include "souk/base/str_cat.h"

namespace souk::train {
namespace {

// Impressions and clicks of one (query, product) pair at each position 1..max_position.
struct PositionCounts {
  std::vector<double> shown;
  std::vector<double> clicked;
};

using PairKey = std::pair<std::string_view, std::string_view>;  // (query, product)

absl::flat_hash_map<PairKey, PositionCounts> CountByPosition(
    const std::vector<LoggedSearch>& searches, int max_position) {
  absl::flat_hash_map<PairKey, PositionCounts> counts;
  const auto positions = static_cast<size_t>(max_position);
  for (const LoggedSearch& search : searches) {
    absl::flat_hash_set<std::string_view> clicked;
    for (const LoggedOutcome& outcome : search.outcomes) clicked.insert(outcome.product);
    for (size_t i = 0; i < search.shown.size() && i < positions; ++i) {
      PositionCounts& c = counts[PairKey(search.query, search.shown[i])];
      if (c.shown.empty()) {
        c.shown.assign(positions, 0);
        c.clicked.assign(positions, 0);
      }
      c.shown[i] += 1;
      if (clicked.contains(search.shown[i])) c.clicked[i] += 1;
    }
  }
  return counts;
}

struct HarvestedRatio {
  double ratio = 0;
  size_t pairs = 0;  // (query, product) pairs with a click at 1 or k
};

// theta_k / theta_1 from the pairs shown at both positions, each pair's click rates weighted by
// its smaller impression count; nullopt when fewer than `min_pairs` pairs carry a click.
std::optional<HarvestedRatio> Harvest(const absl::flat_hash_map<PairKey, PositionCounts>& counts,
                                      size_t k, size_t min_pairs) {
  double at_k = 0, at_1 = 0;
  size_t pairs = 0;
  for (const auto& [key, c] : counts) {
    if (c.shown[0] == 0 || c.shown[k] == 0 || c.clicked[0] + c.clicked[k] == 0) continue;
    const double weight = std::min(c.shown[0], c.shown[k]);
    at_k += weight * c.clicked[k] / c.shown[k];
    at_1 += weight * c.clicked[0] / c.shown[0];
    ++pairs;
  }
  if (pairs < min_pairs || at_1 == 0) return std::nullopt;
  return HarvestedRatio{at_k / at_1, pairs};
}

// The overall click rate of position k + 1 over that of position 1; nullopt when either is
// unknown.
std::optional<double> ClickRateRatio(const absl::flat_hash_map<PairKey, PositionCounts>& counts,
                                     size_t k) {
  double shown_k = 0, clicked_k = 0, shown_1 = 0, clicked_1 = 0;
  for (const auto& [key, c] : counts) {
    shown_k += c.shown[k];
    clicked_k += c.clicked[k];
    shown_1 += c.shown[0];
    clicked_1 += c.clicked[0];
  }
  if (shown_k == 0 || shown_1 == 0 || clicked_1 == 0) return std::nullopt;
  return (clicked_k / shown_k) / (clicked_1 / shown_1);
}

// Pool-adjacent-violators: the weighted least-squares non-increasing fit to `values`, in place.
void MakeNonIncreasing(std::vector<double>& values, const std::vector<double>& weights) {
  struct Block {
    double mean, weight;
    size_t size;
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < values.size(); ++i) {
    blocks.push_back({values[i], weights[i], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean < blocks.back().mean) {
      const Block last = blocks.back();
      blocks.pop_back();
      Block& merged = blocks.back();
      const double weight = merged.weight + last.weight;
      merged.mean = (merged.mean * merged.weight + last.mean * last.weight) / weight;
      merged.weight = weight;
      merged.size += last.size;
    }
  }
  size_t i = 0;
  for (const Block& block : blocks) {
    for (size_t j = 0; j < block.size; ++j) values[i++] = block.mean;
  }
}

}  // namespace

absl::Status PropensityOptions::Validate() const {
  if (max_position < 1) {
    return absl::InvalidArgumentError(StrCat("max_position must be >= 1, got ", max_position));
  }
  if (min_pairs < 1) return absl::InvalidArgumentError("min_pairs must be >= 1");
  if (!(min_propensity > 0 && min_propensity <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("min_propensity (--min-propensity) must be in (0, 1], got ", min_propensity));
  }
  return absl::OkStatus();
}

double Propensities::At(int position) const {
  if (position <= 0 || theta.empty()) return 1;
  return theta[std::min(static_cast<size_t>(position), theta.size()) - 1];
}

Propensities EstimateExaminationPropensities(const std::vector<LoggedSearch>& searches,
                                             const PropensityOptions& options) {
  SOUK_CHECK(options.Validate().ok());
  const absl::flat_hash_map<PairKey, PositionCounts> counts =
      CountByPosition(searches, options.max_position);
  Propensities result;
  result.theta.assign(static_cast<size_t>(options.max_position), 1.0);
  // How much each estimate counts when pooled: its pairs, or min_pairs for a fallback.
  std::vector<double> weights(result.theta.size(), static_cast<double>(options.min_pairs));
  for (size_t k = 1; k < result.theta.size(); ++k) {
    std::optional<double> ratio;
    if (const std::optional<HarvestedRatio> h = Harvest(counts, k, options.min_pairs)) {
      ratio = h->ratio;
      weights[k] = static_cast<double>(h->pairs);
    } else {
      ratio = ClickRateRatio(counts, k);
      result.fallback_positions.push_back(static_cast<int>(k) + 1);
    }
    // A position never shown (or no click at all) keeps the previous position's estimate.
    result.theta[k] = std::clamp(ratio.value_or(result.theta[k - 1]), options.min_propensity, 1.0);
  }
  if (options.non_increasing) MakeNonIncreasing(result.theta, weights);
  return result;
}

std::vector<WeightedOutcome> WeightOutcomes(const std::vector<LoggedSearch>& searches,
                                            const Propensities& propensities) {
  std::vector<WeightedOutcome> outcomes;
  absl::flat_hash_map<std::tuple<std::string_view, std::string_view, int>, size_t> index;
  for (const LoggedSearch& search : searches) {
    for (const LoggedOutcome& outcome : search.outcomes) {
      const auto [it, inserted] =
          index.try_emplace(std::make_tuple(std::string_view(search.query),
                                            std::string_view(outcome.product), outcome.grade),
                            outcomes.size());
      if (inserted) outcomes.push_back({search.query, outcome.product, outcome.grade, 0});
      outcomes[it->second].weight += 1 / propensities.At(outcome.position);
    }
  }
  return outcomes;
}

}  // namespace souk::train
