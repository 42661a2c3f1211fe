#include "souk/engine/search_engine.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "request_filter_internal.h"
#include "souk/base/clock.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "souk/engine/rank_fusion.h"

namespace souk::engine {
namespace {

constexpr char kPageTokenPrefix[] = "o";

// Microseconds between laps, for StageTimes.
class StageTimer {
 public:
  int64_t Lap() {
    const auto now = std::chrono::steady_clock::now();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - last_).count();
    last_ = now;
    return us;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

std::string PageToken(size_t offset) { return StrCat(kPageTokenPrefix, offset); }

absl::StatusOr<size_t> ParsePageToken(std::string_view token) {
  if (token.empty()) return 0;
  size_t offset = 0;
  const std::string_view digits = token.substr(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (token.front() != kPageTokenPrefix[0] || digits.empty() || ec != std::errc() ||
      end != digits.data() + digits.size()) {
    return absl::InvalidArgumentError("page_token: not a token this server issued");
  }
  return offset;
}

internal::RequestFilter FilterOf(const SearchQuery& q) {
  return {.category = q.category,
          .brands = &q.brands,
          .min_price = q.min_price,
          .max_price = q.max_price,
          .in_stock_only = q.in_stock_only};
}

absl::Status CheckUtf8(std::string_view field, std::string_view value) {
  if (IsValidUtf8(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(field, ": not valid UTF-8"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SearchEngine>> SearchEngine::Create(
    const SearchOptions& options, std::shared_ptr<const Snapshot> snapshot,
    const events::Aggregates* events) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  if (snapshot == nullptr) return absl::InvalidArgumentError("search engine needs a snapshot");
  SOUK_ASSIGN_OR_RETURN(std::shared_ptr<const rank::RuleSet> rules,
                        rank::RuleSet::Create(options.rules));
  return std::unique_ptr<SearchEngine>(
      new SearchEngine(options, std::move(snapshot), std::move(rules), events));
}

SearchEngine::SearchEngine(const SearchOptions& options, std::shared_ptr<const Snapshot> snapshot,
                           std::shared_ptr<const rank::RuleSet> rules,
                           const events::Aggregates* events)
    : options_(options),
      snapshot_(std::move(snapshot)),
      rules_(std::move(rules)),
      events_(events) {}

void SearchEngine::Swap(std::shared_ptr<const Snapshot> snapshot) {
  std::shared_ptr<const Snapshot> old;
  {
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    old = std::exchange(snapshot_, std::move(snapshot));
  }
  // `old` is released here, outside the lock: freeing a large snapshot takes a while.
}

std::shared_ptr<const Snapshot> SearchEngine::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

absl::Status SearchEngine::SetRules(rank::RulesConfig rules) {
  SOUK_ASSIGN_OR_RETURN(std::shared_ptr<const rank::RuleSet> set,
                        rank::RuleSet::Create(std::move(rules)));
  std::lock_guard<std::mutex> lock(rules_mu_);
  rules_ = std::move(set);
  return absl::OkStatus();
}

rank::RulesConfig SearchEngine::rules() const { return rule_set()->config(); }

std::shared_ptr<const rank::RuleSet> SearchEngine::rule_set() const {
  std::lock_guard<std::mutex> lock(rules_mu_);
  return rules_;
}

absl::Status SearchEngine::Validate(const SearchQuery& q, size_t* offset) const {
  if (q.query.size() > options_.max_query_bytes) {
    return absl::InvalidArgumentError(StrCat("query: ", q.query.size(), " bytes, at most ",
                                             options_.max_query_bytes, " allowed"));
  }
  SOUK_RETURN_IF_ERROR(CheckUtf8("query", q.query));
  if (q.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("query: must not be empty");
  }
  if (q.page_size < 1 || static_cast<uint64_t>(q.page_size) > options_.max_page_size) {
    return absl::InvalidArgumentError(
        StrCat("page_size: ", q.page_size, " is outside 1..", options_.max_page_size));
  }
  SOUK_RETURN_IF_ERROR(CheckUtf8("user_id", q.user_id));
  SOUK_RETURN_IF_ERROR(internal::CheckFilterText(FilterOf(q)));
  SOUK_ASSIGN_OR_RETURN(*offset, ParsePageToken(q.page_token));
  if (*offset >= options_.max_result_window) {
    return absl::InvalidArgumentError(
        StrCat("page_token: results past ", options_.max_result_window, " are not served"));
  }
  return absl::OkStatus();
}

absl::StatusOr<SearchPage> SearchEngine::Search(const SearchQuery& q) const {
  size_t offset = 0;
  SOUK_RETURN_IF_ERROR(Validate(q, &offset));
  if (std::chrono::steady_clock::now() >= q.deadline) {
    return absl::DeadlineExceededError("the deadline passed before the search started");
  }
  SearchPage page;
  page.snapshot = snapshot();
  const Snapshot& snap = *page.snapshot;

  SOUK_ASSIGN_OR_RETURN(const std::optional<lexical::DocFilter> doc_filter,
                        internal::CompileFilter(snap, FilterOf(q)));

  // The last page of the window is cut short rather than refused; one hit past the page tells
  // whether another page exists, so the last page never carries a token.
  const size_t end =
      std::min(offset + static_cast<size_t>(q.page_size), options_.max_result_window);
  const size_t depth = std::min(end + 1, options_.max_result_window);
  // Hybrid retrieval, the ranker and the rules look past the page, at the configured
  // candidates; so do explanations, which need the candidates' features.
  const std::shared_ptr<const rank::RuleSet> rules = rule_set();
  const size_t variant = snap.split().VariantOf(q.user_id);
  const rank::Ranker* ranker = snap.ranker(variant);
  page.variant = snap.split().name(variant);
  const bool candidates =
      snap.encoder() != nullptr || ranker != nullptr || !rules->empty() || q.debug;
  lexical::SearchOptions search_options;
  search_options.k = candidates ? std::max(depth, options_.lexical_candidates) : depth;
  search_options.facets = q.facets;
  StageTimer timer;
  const std::vector<std::string> terms = snap.QueryTerms(q.query);
  page.times.analyze_us = timer.Lap();
  const lexical::DocFilter* filter_ptr = doc_filter ? &*doc_filter : nullptr;
  lexical::SearchResult result = snap.lexical().Search(terms, filter_ptr, search_options);
  page.times.lexical_us = timer.Lap();

  std::vector<ResultItem> ranked;
  CandidateSet set;
  std::vector<size_t> order;
  std::vector<std::vector<std::string>> fired;
  if (candidates) {
    const rank::RequestContext request{NowUnixMillis(), q.user_id, events_};
    SOUK_ASSIGN_OR_RETURN(
        set, Retrieve(snap, q.query, terms, result.hits, filter_ptr, depth,
                      ranker != nullptr || q.debug ? &request : nullptr, q.deadline, &page.times));
    timer.Lap();
    if (std::chrono::steady_clock::now() >= q.deadline) {
      return absl::DeadlineExceededError("the deadline passed before ranking");
    }
    SOUK_ASSIGN_OR_RETURN(ranked, Rank(ranker, set, &order));
    if (!rules->empty()) {
      ApplyRules(*rules, snap, q.query, filter_ptr, &ranked, &order, &fired);
    }
    page.times.rank_us = timer.Lap();
  } else {
    for (const lexical::Hit& hit : result.hits) ranked.push_back({hit.doc, nullptr, hit.score, {}});
  }
  for (size_t i = offset; i < std::min(end, ranked.size()); ++i) {
    page.items.push_back(ranked[i]);
    page.items.back().product = &snap.catalog().product(ranked[i].doc);
  }
  if (q.debug) SOUK_RETURN_IF_ERROR(Explain(ranker, set, order, fired, offset, &page.items));
  if (ranked.size() > end) page.next_page_token = PageToken(end);
  page.total_matches = result.total_matches;
  page.facets = std::move(result.facets);
  page.request_id = request_ids_.Next();
  return page;
}

absl::StatusOr<CandidateSet> SearchEngine::Candidates(const std::string& query) const {
  return Candidates(query, {NowUnixMillis(), {}, events_});
}

absl::StatusOr<CandidateSet> SearchEngine::Candidates(const std::string& query,
                                                      const rank::RequestContext& request) const {
  SearchQuery q;
  q.query = query;
  size_t offset = 0;
  SOUK_RETURN_IF_ERROR(Validate(q, &offset));
  std::shared_ptr<const Snapshot> snap = snapshot();
  lexical::SearchOptions search_options;
  search_options.k = options_.lexical_candidates;
  const std::vector<std::string> terms = snap->QueryTerms(query);
  const lexical::SearchResult result = snap->lexical().Search(terms, nullptr, search_options);
  SOUK_ASSIGN_OR_RETURN(CandidateSet set,
                        Retrieve(*snap, query, terms, result.hits, nullptr, 1, &request,
                                 std::chrono::steady_clock::time_point::max(), nullptr));
  set.snapshot = std::move(snap);
  return set;
}

absl::StatusOr<CandidateSet> SearchEngine::Retrieve(const Snapshot& snap, const std::string& query,
                                                    const std::vector<std::string>& terms,
                                                    const std::vector<lexical::Hit>& hits,
                                                    const lexical::DocFilter* filter, size_t depth,
                                                    const rank::RequestContext* features_for,
                                                    std::chrono::steady_clock::time_point deadline,
                                                    StageTimes* times) const {
  CandidateSet set;
  StageTimer timer;
  absl::flat_hash_map<uint32_t, uint32_t> bm25_rank;
  for (size_t i = 0; i < hits.size(); ++i) bm25_rank[hits[i].doc.value()] = i + 1;
  if (snap.encoder() == nullptr) {
    for (size_t i = 0; i < hits.size(); ++i) {
      set.candidates.push_back({hits[i].doc, static_cast<uint32_t>(i + 1), std::nullopt, 0});
      set.retrieval_scores.push_back(hits[i].score);
    }
  } else {
    SOUK_ASSIGN_OR_RETURN(std::vector<float> embedding, snap.EncodeQuery(query, terms, deadline));
    if (times != nullptr) times->encode_us = timer.Lap();
    vector::IdFilter allowed;
    if (filter != nullptr) {
      allowed = [filter](uint32_t id) { return filter->Contains(catalog::DocId(id)); };
    }
    SOUK_ASSIGN_OR_RETURN(
        std::vector<std::vector<vector::Neighbor>> neighbors,
        snap.vectors()->Search(embedding, std::max(depth, options_.dense_candidates), allowed));
    // Every dense candidate's cosine is known; a BM25F-only candidate's is computed below.
    absl::flat_hash_map<uint32_t, std::pair<uint32_t, float>> dense;  // rank, cosine
    std::vector<std::vector<catalog::DocId>> lists(2);
    for (const lexical::Hit& hit : hits) lists[0].push_back(hit.doc);
    for (size_t i = 0; i < neighbors.at(0).size(); ++i) {
      const vector::Neighbor& n = neighbors[0][i];
      lists[1].push_back(catalog::DocId(n.id));
      dense[n.id] = {static_cast<uint32_t>(i + 1), n.score};
    }
    std::vector<uint32_t> lexical_only;  // candidates whose cosine the dense list lacks
    std::vector<size_t> lexical_only_at;
    for (const FusedDoc& fused : FuseReciprocalRank(lists, options_.rrf_k)) {
      rank::Candidate c{fused.doc, 0, std::nullopt, 0};
      if (auto it = bm25_rank.find(fused.doc.value()); it != bm25_rank.end()) {
        c.bm25_rank = it->second;
      }
      if (auto it = dense.find(fused.doc.value()); it != dense.end()) {
        c.dense_rank = it->second.first;
        c.cosine = it->second.second;
      } else {
        lexical_only.push_back(fused.doc.value());
        lexical_only_at.push_back(set.candidates.size());
      }
      set.candidates.push_back(c);
      set.retrieval_scores.push_back(static_cast<float>(fused.score));
    }
    if (times != nullptr) times->ann_us = timer.Lap();
    if (features_for != nullptr && !lexical_only.empty()) {
      SOUK_ASSIGN_OR_RETURN(std::vector<float> cosines,
                            snap.vectors()->Score(embedding, lexical_only));
      for (size_t i = 0; i < cosines.size(); ++i) {
        set.candidates[lexical_only_at[i]].cosine = cosines[i];
      }
    }
  }
  if (features_for != nullptr) {
    set.features = snap.features().Extract(terms, set.candidates, *features_for);
  }
  return set;
}

absl::StatusOr<std::vector<ResultItem>> SearchEngine::Rank(const rank::Ranker* ranker,
                                                           const CandidateSet& set,
                                                           std::vector<size_t>* order) const {
  std::vector<float> scores = set.retrieval_scores;
  if (ranker != nullptr) {
    SOUK_ASSIGN_OR_RETURN(scores, ranker->Score(set.features));
  }
  order->resize(set.candidates.size());
  std::iota(order->begin(), order->end(), size_t{0});
  // Stable: equal scores keep retrieval order.
  std::stable_sort(order->begin(), order->end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<ResultItem> ranked;
  ranked.reserve(order->size());
  for (size_t i : *order) ranked.push_back({set.candidates[i].doc, nullptr, scores[i], {}});
  return ranked;
}

void SearchEngine::ApplyRules(const rank::RuleSet& rules, const Snapshot& snap,
                              const std::string& query, const lexical::DocFilter* filter,
                              std::vector<ResultItem>* ranked, std::vector<size_t>* order,
                              std::vector<std::vector<std::string>>* fired) const {
  std::vector<rank::RankedDoc> docs;
  docs.reserve(ranked->size());
  for (size_t i = 0; i < ranked->size(); ++i) {
    docs.push_back({(*ranked)[i].doc, (*ranked)[i].score, (*order)[i], {}});
  }
  std::function<bool(catalog::DocId)> allowed;
  if (filter != nullptr) allowed = [filter](catalog::DocId doc) { return filter->Contains(doc); };
  rules.Apply(query, snap.catalog(), allowed, &docs);
  ranked->clear();
  order->clear();
  fired->clear();
  for (rank::RankedDoc& d : docs) {
    ranked->push_back({d.doc, nullptr, d.score, {}});
    order->push_back(d.source);
    fired->push_back(std::move(d.fired));
  }
}

absl::Status SearchEngine::Explain(const rank::Ranker* ranker, const CandidateSet& set,
                                   const std::vector<size_t>& order,
                                   const std::vector<std::vector<std::string>>& fired, size_t first,
                                   std::vector<ResultItem>* items) const {
  static const size_t kBm25Column = rank::FindFeature("bm25f").value();
  static const size_t kSentimentColumn = rank::FindFeature("review_sentiment").value();
  std::vector<float> rows;        // the feature rows of the page's candidates, for the ranker
  std::vector<size_t> explained;  // which items those rows belong to
  for (size_t i = 0; i < items->size(); ++i) {
    ResultExplanation e;
    if (!fired.empty()) e.rules = fired[first + i];
    const size_t c = order[first + i];
    if (c == rank::RankedDoc::kNoSource) {  // pinned in by a rule: no retrieval stage saw it
      (*items)[i].explanation = std::move(e);
      continue;
    }
    const rank::Candidate& candidate = set.candidates[c];
    e.bm25 = set.features[c * rank::kNumFeatures + kBm25Column];
    e.bm25_rank = candidate.bm25_rank;
    e.cosine = candidate.cosine;
    e.dense_rank = candidate.dense_rank;
    e.retrieval_score = set.retrieval_scores[c];
    const float sentiment = set.features[c * rank::kNumFeatures + kSentimentColumn];
    if (!std::isnan(sentiment)) e.review_sentiment = sentiment;
    (*items)[i].explanation = std::move(e);
    rows.insert(rows.end(), set.features.begin() + c * rank::kNumFeatures,
                set.features.begin() + (c + 1) * rank::kNumFeatures);
    explained.push_back(i);
  }
  if (ranker == nullptr || explained.empty()) return absl::OkStatus();
  SOUK_ASSIGN_OR_RETURN(auto contributions, ranker->Explain(rows));
  for (size_t j = 0; j < explained.size(); ++j) {
    ResultExplanation& e = *(*items)[explained[j]].explanation;
    e.contributions = std::move(contributions[j]);
    float total = 0;
    for (const rank::Contribution& part : e.contributions) total += part.contribution;
    e.ranker_score = total;  // the ranker's own score, before any boost
  }
  return absl::OkStatus();
}

}  // namespace souk::engine
