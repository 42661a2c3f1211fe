// SuggestEngine: the search box's completions (SearchService.Suggest). Its phrases are
//  - queries shoppers searched (the aggregates' QueryCounts, events/query_counts.h), weighted by
//    their decayed counts, only those at least `min_users` distinct users searched and only
//    those that find products in the serving snapshot (one of their terms, spelling corrected,
//    is in the index);
//  - the catalog's phrases: brand names, category names and the words titles start with (one,
//    two and three words, those at least two titles share), each weighted catalog_weight x
//    log2(1 + the products that have it), so that a brand of 1,000 products weighs about what
//    a query searched ten times does.
// They go into one CompletionIndex (suggest/completion_index.h), built in the background when the
// engine starts and every `refresh_s` seconds after, and by Refresh(); a Suggest call never
// waits for a build.
// For a known user the index's ten best completions are reordered by what the user did lately
// (the aggregates' recent actions): a completion that names a brand or category the user acted
// on weighs (1 + personal_boost x the user's share of actions there), so a shopper who bought
// Makita sees "drill makita" before a more searched "drill dewalt". Exact completions still come
// before corrected ones.
//
// Thread-safety: Suggest may run on many threads while a rebuild swaps the index in.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/engine/search_engine.h"
#include "souk/events/aggregates.h"
#include "souk/suggest/completion_index.h"

namespace souk::engine {

class SuggestEngine {
 public:
  /// Starts the background builds, the first at once; until it is in (about half a second per
  /// 100,000 products), Suggest answers no completion. `search` (its snapshot) and `events`
  /// (may be null: no searched queries) must outlive the engine.
  static absl::StatusOr<std::unique_ptr<SuggestEngine>> Create(const SuggestOptions& options,
                                                               const SearchEngine* search,
                                                               const events::Aggregates* events);
  ~SuggestEngine();  ///< Stops the background rebuilds.

  /// Up to `k` completions of `prefix` (suggest::CompletionIndex::Complete), personalized for
  /// `user_id` when it is not empty (above; a completion's weight is then the boosted one);
  /// INVALID_ARGUMENT for a prefix longer than max_prefix_bytes or not valid UTF-8, or k out of
  /// 1..10.
  absl::StatusOr<std::vector<suggest::Completion>> Suggest(std::string_view prefix, size_t k,
                                                           std::string_view user_id = {}) const;

  /// Rebuilds the index from the current snapshot and counts now.
  void Refresh();

 private:
  SuggestEngine(const SuggestOptions& options, const SearchEngine* search,
                const events::Aggregates* events);
  std::shared_ptr<const suggest::CompletionIndex> index() const;
  /// Reorders `completions` for `user_id` (see above).
  void Personalize(std::string_view user_id, std::vector<suggest::Completion>* completions) const;
  void RefreshLoop();
  // The catalog's phrases of `snapshot`, computed once per index version (folding every title
  // costs about 5 s per million products; the searched queries change far more often). Called
  // with refresh_mu_ held.
  std::vector<suggest::Phrase> CatalogPhrasesOf(const Snapshot& snapshot);

  SuggestOptions options_;
  const SearchEngine* search_;
  const events::Aggregates* events_;
  mutable std::mutex index_mu_;  // held only to copy or swap the pointer
  std::shared_ptr<const suggest::CompletionIndex> index_;
  // One build at a time, so that a build which read older counts cannot be published after a
  // newer one (the refresher's and a caller's Refresh may overlap). Guards the three below.
  std::mutex refresh_mu_;
  size_t last_size_ = SIZE_MAX;  // phrases of the last build, for its log line
  std::string catalog_version_;  // the index version catalog_phrases_ are of
  std::vector<suggest::Phrase> catalog_phrases_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::thread refresher_;
};

/// The catalog's phrases for suggestions (SuggestEngine's second source), `weight` per
/// log2(1 + products).
std::vector<suggest::Phrase> CatalogPhrases(const catalog::Catalog& catalog, double weight,
                                            size_t max_title_phrases);

}  // namespace souk::engine
