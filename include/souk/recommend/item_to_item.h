// Item-to-item recommenders learned by counting: popularity, co-visitation (items that
// follow or precede one another in users' histories), and bought-together (items sharing
// baskets); which with a window of one, forward only,
// and the newest item alone is the first-order Markov chain (the most frequent successor of the
// last item). They are the baselines of the sequential model and its fallbacks.
//
// Co-visitation (e.g. Linden, Smith & York 2003, "Amazon.com Recommendations: Item-to-Item
// Collaborative Filtering"; the session-based kNN of Ludewig & Jannach 2018): for every pair of
// items d = 1..window positions apart in a history, the later one gains forward_weight / d as a
// neighbour of the earlier, the earlier backward_weight / d as a neighbour of the later; each
// item keeps its max_neighbors strongest. A history is scored by its newest history_items items,
// the newest weighing 1 and each older one recency_decay times the one after it:
// score(j) = sum over those items h of weight(h) x covisit(h, j). Items of the history itself are
// never recommended; too few candidates are filled up by popularity.
//
// Thread-safety: immutable after Build; Recommend may run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "souk/recommend/interactions.h"

namespace souk::recommend {

struct ScoredItem {
  ItemIndex item = 0;
  float score = 0;
};

/// Items by how many interactions name them, most first (ties: smaller index first).
class Popularity {
 public:
  static Popularity Build(const std::vector<UserHistory>& users, size_t num_items);
  /// The k most popular items outside `history`; scores are interaction counts.
  std::vector<ScoredItem> Recommend(std::span<const ItemIndex> history, size_t k) const;
  /// Appends popular items outside `history` and `out` until `out` holds k.
  void FillUp(std::span<const ItemIndex> history, size_t k, std::vector<ScoredItem>* out) const;
  /// `candidates` ordered by popularity, those in `history` last (ties: smaller index first).
  std::vector<ScoredItem> Rank(std::span<const ItemIndex> history,
                               std::span<const ItemIndex> candidates) const;
  /// Every item, most named first (ties: smaller index first).
  std::span<const ScoredItem> ranked() const { return ranked_; }
  /// Interactions naming `item` (1..num_items; checked).
  float Count(ItemIndex item) const;

 private:
  std::vector<ScoredItem> ranked_;
  std::vector<float> counts_;  ///< counts_[item]; [0] unused.
};

struct CoVisitationOptions {
  // Defaults: the best of a sweep on Amazon Beauty's second-to-last items (docs/recommend.md);
  // the surface is flat (NDCG@10 within 0.001 for windows 3-10, decays 0.4-0.6).
  size_t window = 5;
  float forward_weight = 1.0f;
  float backward_weight = 0.25f;
  size_t max_neighbors = 200;
  size_t history_items = 5;
  float recency_decay = 0.6f;

  /// The first-order Markov chain: window 1, forward only, the newest item alone.
  static CoVisitationOptions Markov();
  /// window, max_neighbors and history_items >= 1; weights >= 0 and not both 0; decay in (0, 1].
  absl::Status Validate() const;
};

class CoVisitation {
 public:
  /// Counts `users`' histories (item indices 1..num_items). Precondition: options valid.
  static CoVisitation Build(const std::vector<UserHistory>& users, size_t num_items,
                            const CoVisitationOptions& options);

  /// The k best items after `history` (oldest first), popularity filling up.
  std::vector<ScoredItem> Recommend(std::span<const ItemIndex> history, size_t k) const;
  /// The k best co-visited items after `history`, without popularity filling up (fewer when
  /// fewer are co-visited).
  std::vector<ScoredItem> CoVisited(std::span<const ItemIndex> history, size_t k) const;
  /// `candidates` in Recommend's order: by co-visitation score (> 0 for co-visited items, 0
  /// for the others), then popularity, those in `history` last.
  std::vector<ScoredItem> Rank(std::span<const ItemIndex> history,
                               std::span<const ItemIndex> candidates) const;
  /// `item`'s neighbours, strongest first.
  std::span<const ScoredItem> Neighbors(ItemIndex item) const;

 private:
  CoVisitationOptions options_;
  Popularity popularity_;
  std::vector<std::vector<ScoredItem>> neighbors_;  ///< neighbors_[item]; [0] unused.

  absl::flat_hash_map<ItemIndex, float> Scores(std::span<const ItemIndex> history) const;
};

struct BoughtTogetherOptions {
  size_t max_neighbors = 50;
  /// Pairs seen in fewer baskets are left out: one shared basket is coincidence.
  size_t min_baskets = 2;
  /// Larger baskets are skipped: a wholesale order pairs everything with everything.
  size_t max_basket_items = 50;

  /// max_neighbors, min_baskets and max_basket_items >= 1.
  absl::Status Validate() const;
};

/// Frequently bought together: items that share baskets (an order, a cart), each pair scored by
/// the cosine of the two items' basket sets, baskets(a and b) / sqrt(baskets(a) x baskets(b)),
/// so a bestseller that lands in every basket does not pair with everything.
class BoughtTogether {
 public:
  /// Counts `baskets` (an item repeated within a basket counts once). Precondition: options
  /// valid.
  static BoughtTogether Build(const std::vector<UserHistory>& baskets, size_t num_items,
                              const BoughtTogetherOptions& options);

  /// `item`'s companions, strongest first; none for an item out of range.
  std::span<const ScoredItem> With(ItemIndex item) const;
  /// The k best companions of `items` together (their scores summed), none of `items` itself.
  std::vector<ScoredItem> WithAll(std::span<const ItemIndex> items, size_t k) const;

 private:
  std::vector<std::vector<ScoredItem>> neighbors_;  ///< neighbors_[item]; [0] unused.
};

}  // namespace souk::recommend
