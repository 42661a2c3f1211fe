#include "souk/recommend/item_to_item.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "souk/base/check.h"
#include "souk/base/str_cat.h"

namespace souk::recommend {
namespace {

bool BetterScore(const ScoredItem& a, const ScoredItem& b) {
  return a.score != b.score ? a.score > b.score : a.item < b.item;
}

// The k best of `scores` (descending, ties by smaller item) as a vector.
std::vector<ScoredItem> TopK(const absl::flat_hash_map<ItemIndex, float>& scores, size_t k) {
  std::vector<ScoredItem> out;
  out.reserve(scores.size());
  for (const auto& [item, score] : scores) out.push_back({item, score});
  const size_t take = std::min(k, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<long>(take), out.end(), BetterScore);
  out.resize(take);
  return out;
}

}  // namespace

Popularity Popularity::Build(const std::vector<UserHistory>& users, size_t num_items) {
  std::vector<float> counts(num_items + 1, 0);
  for (const UserHistory& u : users) {
    for (const ItemIndex item : u.items) {
      SOUK_CHECK(item >= 1 && item <= num_items);
      counts[item] += 1;
    }
  }
  Popularity p;
  for (ItemIndex i = 1; i <= num_items; ++i) p.ranked_.push_back({i, counts[i]});
  p.counts_ = std::move(counts);
  std::stable_sort(p.ranked_.begin(), p.ranked_.end(), BetterScore);
  return p;
}

std::vector<ScoredItem> Popularity::Recommend(std::span<const ItemIndex> history, size_t k) const {
  std::vector<ScoredItem> out;
  FillUp(history, k, &out);
  return out;
}

void Popularity::FillUp(std::span<const ItemIndex> history, size_t k,
                        std::vector<ScoredItem>* out) const {
  absl::flat_hash_set<ItemIndex> taken(history.begin(), history.end());
  for (const ScoredItem& s : *out) taken.insert(s.item);
  for (const ScoredItem& s : ranked_) {
    if (out->size() >= k) break;
    if (!taken.contains(s.item)) out->push_back(s);
  }
}

float Popularity::Count(ItemIndex item) const {
  SOUK_CHECK(item >= 1 && item < counts_.size());
  return counts_[item];
}

std::vector<ScoredItem> Popularity::Rank(std::span<const ItemIndex> history,
                                         std::span<const ItemIndex> candidates) const {
  const absl::flat_hash_set<ItemIndex> seen(history.begin(), history.end());
  std::vector<ScoredItem> out;
  for (const ItemIndex item : candidates) {
    out.push_back({item, seen.contains(item) ? -1.0f : Count(item)});
  }
  std::stable_sort(out.begin(), out.end(), BetterScore);
  return out;
}

CoVisitationOptions CoVisitationOptions::Markov() {
  return {.window = 1, .forward_weight = 1, .backward_weight = 0, .history_items = 1};
}

absl::Status CoVisitationOptions::Validate() const {
  if (window < 1) return absl::InvalidArgumentError("covisitation window must be >= 1");
  if (max_neighbors < 1) {
    return absl::InvalidArgumentError("covisitation max_neighbors must be >= 1");
  }
  if (history_items < 1) {
    return absl::InvalidArgumentError("covisitation history_items must be >= 1");
  }
  if (!(forward_weight >= 0 && backward_weight >= 0 && forward_weight + backward_weight > 0)) {
    return absl::InvalidArgumentError(
        StrCat("covisitation weights must be >= 0 and not both 0, got forward ", forward_weight,
               ", backward ", backward_weight));
  }
  if (!(recency_decay > 0 && recency_decay <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("covisitation recency_decay must be in (0, 1], got ", recency_decay));
  }
  return absl::OkStatus();
}

CoVisitation CoVisitation::Build(const std::vector<UserHistory>& users, size_t num_items,
                                 const CoVisitationOptions& options) {
  SOUK_CHECK(options.Validate().ok());
  std::vector<absl::flat_hash_map<ItemIndex, float>> counts(num_items + 1);
  const auto add = [&counts](ItemIndex from, ItemIndex to, float weight) {
    if (from != to && weight > 0) counts[from][to] += weight;
  };
  for (const UserHistory& u : users) {
    const std::vector<ItemIndex>& h = u.items;
    for (size_t i = 0; i < h.size(); ++i) {
      for (size_t d = 1; d <= options.window && i + d < h.size(); ++d) {
        const float distance = static_cast<float>(d);
        add(h[i], h[i + d], options.forward_weight / distance);
        add(h[i + d], h[i], options.backward_weight / distance);
      }
    }
  }
  CoVisitation c;
  c.options_ = options;
  c.popularity_ = Popularity::Build(users, num_items);
  c.neighbors_.resize(num_items + 1);
  for (size_t item = 1; item <= num_items; ++item) {
    c.neighbors_[item] = TopK(counts[item], options.max_neighbors);
    absl::flat_hash_map<ItemIndex, float>().swap(counts[item]);
  }
  return c;
}

std::span<const ScoredItem> CoVisitation::Neighbors(ItemIndex item) const {
  SOUK_CHECK(item >= 1 && item < neighbors_.size());
  return neighbors_[item];
}

absl::flat_hash_map<ItemIndex, float> CoVisitation::Scores(
    std::span<const ItemIndex> history) const {
  absl::flat_hash_map<ItemIndex, float> scores;
  float weight = 1;
  const size_t newest = std::min(history.size(), options_.history_items);
  for (size_t age = 0; age < newest; ++age) {
    const ItemIndex item = history[history.size() - 1 - age];
    for (const ScoredItem& n : Neighbors(item)) scores[n.item] += weight * n.score;
    weight *= options_.recency_decay;
  }
  for (const ItemIndex item : history) scores.erase(item);
  return scores;
}

std::vector<ScoredItem> CoVisitation::Recommend(std::span<const ItemIndex> history,
                                                size_t k) const {
  std::vector<ScoredItem> out = TopK(Scores(history), k);
  popularity_.FillUp(history, k, &out);
  return out;
}

std::vector<ScoredItem> CoVisitation::CoVisited(std::span<const ItemIndex> history,
                                                size_t k) const {
  return TopK(Scores(history), k);
}

std::vector<ScoredItem> CoVisitation::Rank(std::span<const ItemIndex> history,
                                           std::span<const ItemIndex> candidates) const {
  const absl::flat_hash_map<ItemIndex, float> scores = Scores(history);
  const absl::flat_hash_set<ItemIndex> seen(history.begin(), history.end());
  struct Keyed {
    ScoredItem item;
    int tier;  // 2: a neighbour, 1: popularity alone, 0: in the history
    float popularity;
  };
  std::vector<Keyed> keyed;
  for (const ItemIndex item : candidates) {
    const auto it = scores.find(item);
    const int tier = seen.contains(item) ? 0 : it != scores.end() ? 2 : 1;
    keyed.push_back(
        {{item, it != scores.end() ? it->second : 0.0f}, tier, popularity_.Count(item)});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.tier != b.tier) return a.tier > b.tier;
    if (a.item.score != b.item.score) return a.item.score > b.item.score;
    if (a.popularity != b.popularity) return a.popularity > b.popularity;
    return a.item.item < b.item.item;
  });
  std::vector<ScoredItem> out;
  for (const Keyed& k : keyed) out.push_back(k.item);
  return out;
}

absl::Status BoughtTogetherOptions::Validate() const {
  if (max_neighbors < 1 || min_baskets < 1 || max_basket_items < 1) {
    return absl::InvalidArgumentError(
        "bought-together max_neighbors, min_baskets and max_basket_items must be >= 1");
  }
  return absl::OkStatus();
}

BoughtTogether BoughtTogether::Build(const std::vector<UserHistory>& baskets, size_t num_items,
                                     const BoughtTogetherOptions& options) {
  SOUK_CHECK(options.Validate().ok());
  std::vector<float> item_baskets(num_items + 1, 0);
  std::vector<absl::flat_hash_map<ItemIndex, float>> shared(num_items + 1);
  for (const UserHistory& basket : baskets) {
    std::vector<ItemIndex> items = basket.items;
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    if (items.size() > options.max_basket_items) continue;
    for (size_t i = 0; i < items.size(); ++i) {
      SOUK_CHECK(items[i] >= 1 && items[i] <= num_items);
      item_baskets[items[i]] += 1;
      for (size_t j = i + 1; j < items.size(); ++j) {
        shared[items[i]][items[j]] += 1;
        shared[items[j]][items[i]] += 1;
      }
    }
  }
  BoughtTogether b;
  b.neighbors_.resize(num_items + 1);
  for (size_t item = 1; item <= num_items; ++item) {
    absl::flat_hash_map<ItemIndex, float> cosine;
    for (const auto& [other, count] : shared[item]) {
      if (count < static_cast<float>(options.min_baskets)) continue;
      cosine[other] = count / std::sqrt(item_baskets[item] * item_baskets[other]);
    }
    b.neighbors_[item] = TopK(cosine, options.max_neighbors);
    absl::flat_hash_map<ItemIndex, float>().swap(shared[item]);
  }
  return b;
}

std::span<const ScoredItem> BoughtTogether::With(ItemIndex item) const {
  if (item == 0 || item >= neighbors_.size()) return {};
  return neighbors_[item];
}

std::vector<ScoredItem> BoughtTogether::WithAll(std::span<const ItemIndex> items, size_t k) const {
  const absl::flat_hash_set<ItemIndex> given(items.begin(), items.end());
  absl::flat_hash_map<ItemIndex, float> scores;
  for (const ItemIndex item : given) {
    for (const ScoredItem& n : With(item)) {
      if (!given.contains(n.item)) scores[n.item] += n.score;
    }
  }
  return TopK(scores, k);
}

}  // namespace souk::recommend
