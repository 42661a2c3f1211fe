// SearchEngine: answers search requests against the current Snapshot.
//
// It validates a request once at the boundary (so the retrieval loop cannot fail), analyzes the
// query with the snapshot's analyzer, retrieves with BM25F (and, when the snapshot has an
// encoder, by cosine over the product vectors, the two lists fused by reciprocal rank), reorders
// the candidates with the learned ranker when the snapshot has one, applies filters and paging,
// and assigns a request id that feedback events refer back to.
//
// Thread-safety: Search() may run on many threads while Swap() installs a new snapshot; each
// request holds the snapshot it started with until it returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/request_ids.h"
#include "souk/engine/snapshot.h"
#include "souk/events/aggregates.h"
#include "souk/lexical/filter.h"
#include "souk/rank/features.h"

namespace souk::engine {

struct SearchQuery {
  std::string query;
  int64_t page_size = 10;
  std::string user_id;
  std::string category;  ///< "Top > Sub" subtree; empty = any.
  std::vector<std::string> brands;
  std::optional<double> min_price;
  std::optional<double> max_price;
  bool in_stock_only = false;
  std::string page_token;  ///< Opaque; from SearchPage::next_page_token.
  bool facets = false;
  bool debug = false;  ///< Explain every result (ResultItem::explanation).
  /// DEADLINE_EXCEEDED when it passes before the search starts, before the query's embedding
  /// (the encoder's batcher drops it from its queue) or before ranking.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// Where one search's time went, in microseconds (the server's stage latency metrics). A stage
/// that did not run stays 0.
struct StageTimes {
  int64_t analyze_us = 0;  ///< Query terms and spelling correction.
  int64_t lexical_us = 0;  ///< BM25F top-k with filters and facets.
  int64_t encode_us = 0;   ///< The query's embedding, batcher wait included.
  int64_t ann_us = 0;      ///< Dense neighbours and fusion.
  int64_t rank_us = 0;     ///< Features, the ranker and the rules.
};

/// How a result got its place: each stage's view of it (SearchQuery::debug).
struct ResultExplanation {
  float bm25 = 0;               ///< BM25F score of the query in the product (0: no term).
  uint32_t bm25_rank = 0;       ///< 1-based rank in BM25F's candidates; 0 when not among them.
  std::optional<float> cosine;  ///< Query-product cosine; absent without an encoder.
  uint32_t dense_rank = 0;      ///< 1-based rank in the dense candidates; 0 when not among them.
  float retrieval_score = 0;    ///< The fused reciprocal-rank score, or BM25F's alone.
  std::optional<float> ranker_score;  ///< Absent without a ranker.
  /// The ranker's features, values and shares, then "bias"; the shares add up to ranker_score.
  std::vector<rank::Contribution> contributions;
  /// Ids of the merchandising rules that moved or placed it ("diversity" for the brand cap).
  std::vector<std::string> rules;
  /// The review_sentiment feature; absent without a scored review.
  std::optional<float> review_sentiment;
};

struct ResultItem {
  catalog::DocId doc;
  const catalog::Product* product = nullptr;  ///< Owned by SearchPage::snapshot.
  /// The ranker's score; without one, the fused reciprocal-rank score in hybrid search, else
  /// the BM25F score.
  float score = 0;
  std::optional<ResultExplanation> explanation;  ///< Only for SearchQuery::debug.
};

/// What the ranker sees of one query: its candidates in retrieval order (reciprocal rank
/// fusion, or BM25F's order alone) and their features, candidates.size() x rank::kNumFeatures.
struct CandidateSet {
  std::shared_ptr<const Snapshot> snapshot;  ///< The snapshot the DocIds refer to.
  std::vector<rank::Candidate> candidates;
  std::vector<float> retrieval_scores;  ///< Per candidate: the fused (or BM25F) score.
  std::vector<float> features;
};

struct SearchPage {
  std::shared_ptr<const Snapshot> snapshot;  ///< Keeps `items[].product` alive.
  std::vector<ResultItem> items;
  std::string request_id;
  std::string variant;          ///< The A/B variant whose ranker ranked it (the user's).
  std::string next_page_token;  ///< Empty on the last page.
  /// Products matching the query's words and the filters (BM25F), counted when facets are.
  std::optional<size_t> total_matches;
  lexical::Facets facets;
  StageTimes times;
};

class SearchEngine {
 public:
  /// `events`, when given, feeds the rankers' behaviour features (rank/features.h) and must
  /// outlive the engine; without it they are missing.
  static absl::StatusOr<std::unique_ptr<SearchEngine>> Create(
      const SearchOptions& options, std::shared_ptr<const Snapshot> snapshot,
      const events::Aggregates* events = nullptr);

  /// INVALID_ARGUMENT naming the field for bad requests (empty or over-long query, invalid
  /// UTF-8, page_size out of range, unknown filter values, bad page token).
  absl::StatusOr<SearchPage> Search(const SearchQuery& query) const;

  /// The candidates and features a ranker would reorder for `query` (unfiltered): what
  /// `souk train ranker` learns from, so that training sees exactly what serving scores.
  /// The first form is an anonymous request now, with the engine's aggregates; the second
  /// replays a logged one (its user, its moment, the aggregates as they were then).
  absl::StatusOr<CandidateSet> Candidates(const std::string& query) const;
  absl::StatusOr<CandidateSet> Candidates(const std::string& query,
                                          const rank::RequestContext& request) const;

  /// Replaces the merchandising rules for every request that starts after this call;
  /// INVALID_ARGUMENT naming the bad rule (the old rules stay).
  absl::Status SetRules(rank::RulesConfig rules);
  rank::RulesConfig rules() const;

  /// Installs `snapshot` for every request that starts after this call.
  void Swap(std::shared_ptr<const Snapshot> snapshot);
  std::shared_ptr<const Snapshot> snapshot() const;

 private:
  SearchEngine(const SearchOptions& options, std::shared_ptr<const Snapshot> snapshot,
               std::shared_ptr<const rank::RuleSet> rules, const events::Aggregates* events);
  std::shared_ptr<const rank::RuleSet> rule_set() const;
  /// Applies `rules` for `query` to `ranked` (with `order`, each result's candidate index),
  /// recording the rules that fired per result in `fired`.
  void ApplyRules(const rank::RuleSet& rules, const Snapshot& snap, const std::string& query,
                  const lexical::DocFilter* filter, std::vector<ResultItem>* ranked,
                  std::vector<size_t>* order, std::vector<std::vector<std::string>>* fired) const;
  absl::Status Validate(const SearchQuery& query, size_t* offset) const;
  /// BM25F's `hits`, fused with the first dense candidates allowed by `filter` (null: all)
  /// when the snapshot has an encoder, at least `depth` of each; features only with a
  /// `features_for` request. The encoder honours `deadline`; `times` gets encode_us and ann_us.
  absl::StatusOr<CandidateSet> Retrieve(const Snapshot& snap, const std::string& query,
                                        const std::vector<std::string>& terms,
                                        const std::vector<lexical::Hit>& hits,
                                        const lexical::DocFilter* filter, size_t depth,
                                        const rank::RequestContext* features_for,
                                        std::chrono::steady_clock::time_point deadline,
                                        StageTimes* times) const;
  /// The candidates as results: in `ranker`'s order (retrieval order when null); `order`
  /// receives each result's index in `set.candidates`.
  absl::StatusOr<std::vector<ResultItem>> Rank(const rank::Ranker* ranker, const CandidateSet& set,
                                               std::vector<size_t>* order) const;
  /// Fills the explanation of `items`, the results from position `first` of `order` (and
  /// `fired`, empty without rules) on.
  absl::Status Explain(const rank::Ranker* ranker, const CandidateSet& set,
                       const std::vector<size_t>& order,
                       const std::vector<std::vector<std::string>>& fired, size_t first,
                       std::vector<ResultItem>* items) const;

  SearchOptions options_;
  // A mutex rather than std::atomic<std::shared_ptr>: it is held only to copy the pointer, and
  // libstdc++ 12's atomic shared_ptr uses a lock ThreadSanitizer cannot see.
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const Snapshot> snapshot_;
  mutable std::mutex rules_mu_;
  std::shared_ptr<const rank::RuleSet> rules_;
  RequestIds request_ids_;
  const events::Aggregates* events_;  ///< Null: no behaviour features.
};

}  // namespace souk::engine
