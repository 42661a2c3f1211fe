// Ranking features: what the learned ranker sees of one (query, candidate product) pair.
//
// One fixed, named table (kFeatureTable; documented in docs/ranking.md). A ranker model lists
// the names of the features it was trained on, so adding a feature at the end of the table
// keeps older models loadable. Missing values (no encoder, no price, no event log) are NaN,
// which XGBoost treats as "missing" and routes down each tree's learned default branch.
//
// The behaviour features read the shop's events (events/aggregates.h) as of the request's
// moment: what shoppers did with the product and its brand, and what this user did lately.
// Training reads them as of each logged search (point in time), so no search learns from its
// own outcome.
//
// Thread-safety: FeatureExtractor is immutable after construction; Extract is thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "souk/catalog/catalog.h"
#include "souk/events/aggregates.h"
#include "souk/lexical/inverted_index.h"

namespace souk::rank {

struct FeatureInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr std::array kFeatureTable = {
    FeatureInfo{"bm25f", "BM25F score of the query in the product's fields"},
    FeatureInfo{"bm25_reciprocal_rank", "1 / rank in the BM25F candidate list; 0 when not in it"},
    FeatureInfo{"dense_cosine", "cosine of query and product embeddings; NaN without an encoder"},
    FeatureInfo{"dense_reciprocal_rank", "1 / rank in the dense candidate list; 0 when not in it"},
    FeatureInfo{"query_terms", "analyzed query terms the index knows"},
    FeatureInfo{"matched_terms_fraction", "share of the known query terms the product holds"},
    FeatureInfo{"idf_coverage", "idf-weighted share of the known query terms the product holds"},
    FeatureInfo{"title_idf_coverage", "idf_coverage counting the title only"},
    FeatureInfo{"brand_idf_coverage", "idf_coverage counting the brand only"},
    FeatureInfo{"category_idf_coverage", "idf_coverage counting the category path only"},
    FeatureInfo{"attributes_idf_coverage", "idf_coverage counting attribute values only"},
    FeatureInfo{"description_idf_coverage", "idf_coverage counting the description only"},
    FeatureInfo{"all_terms_in_title", "1 when the title holds every known query term"},
    FeatureInfo{"max_missing_idf", "largest idf of a known query term the product lacks"},
    FeatureInfo{"title_words", "words in the title"},
    FeatureInfo{"price", "price; NaN when unknown"},
    FeatureInfo{"price_to_category_median", "price / median price of its category; NaN if unknown"},
    FeatureInfo{"log_age_days", "ln(1 + days since listing); NaN when unknown"},
    FeatureInfo{"in_stock", "1 when in stock or stock is not tracked"},
    FeatureInfo{"product_click_through", "smoothed, time-decayed clicks per impression"},
    FeatureInfo{"product_add_to_cart_rate", "smoothed, time-decayed carts per impression"},
    FeatureInfo{"product_conversion_rate", "smoothed, time-decayed units bought per impression"},
    FeatureInfo{"log_product_purchases", "ln(1 + time-decayed units bought)"},
    FeatureInfo{"brand_click_through", "product_click_through over the brand's products"},
    FeatureInfo{"brand_conversion_rate", "product_conversion_rate over the brand's products"},
    FeatureInfo{"user_brand_affinity", "share of the user's recent actions on the brand"},
    FeatureInfo{"user_category_affinity", "share of the user's recent actions in the category"},
    FeatureInfo{"user_product_clicks", "the user's recent clicks on the product"},
    FeatureInfo{"user_product_purchases", "the user's recent purchases of the product"},
    FeatureInfo{"review_sentiment",
                "mean P(positive) of the product's reviews' text, smoothed toward the shop's "
                "mean by 2 reviews; NaN without a scored review"},
    FeatureInfo{"expansion_idf_coverage",
                "idf_coverage counting the predicted expansion terms only"},
};
inline constexpr size_t kNumFeatures = kFeatureTable.size();

/// Index of feature `name` in kFeatureTable, or nullopt.
std::optional<size_t> FindFeature(std::string_view name);

/// What retrieval knows of one candidate before ranking.
struct Candidate {
  catalog::DocId doc;
  uint32_t bm25_rank = 0;       ///< 1-based rank in the BM25F list; 0 when not in it.
  std::optional<float> cosine;  ///< Query-product cosine; absent without an encoder.
  uint32_t dense_rank = 0;      ///< 1-based rank in the dense list; 0 when not in it.
};

/// Who asks, and when: the moment dates the products' ages and the event counts; without
/// aggregates every behaviour feature is NaN, and without a user (or any action of theirs) the
/// user_* ones are.
struct RequestContext {
  int64_t now_ms = 0;
  std::string_view user_id{};
  const events::Aggregates* aggregates = nullptr;
};

class FeatureExtractor {
 public:
  /// Precomputes per-category median prices. `catalog` and `index` (built from it) must
  /// outlive the extractor.
  FeatureExtractor(const catalog::Catalog& catalog, const lexical::InvertedIndex& index);

  /// Features of every candidate for the analyzed `query_terms`: candidates.size() x
  /// kNumFeatures, row-major.
  std::vector<float> Extract(const std::vector<std::string>& query_terms,
                             std::span<const Candidate> candidates,
                             const RequestContext& request) const;

 private:
  struct UserHistory;

  void LexicalFeatures(std::span<const lexical::TermMatch> matches, float* row) const;
  void ProductFeatures(const catalog::Product& product, int64_t now_unix_s, float* row) const;
  /// `shop`: the aggregates' ShopCounts as of the request, read once for all candidates.
  void EventFeatures(const catalog::Product& product, const RequestContext& request,
                     const events::ProductCounts& shop, float* row) const;
  /// The user's recent actions by brand, category and product; null without any.
  std::unique_ptr<UserHistory> History(const RequestContext& request) const;
  void UserFeatures(catalog::DocId doc, const UserHistory& history, float* row) const;
  /// `shop_mean`: the shop's mean review P(positive), read once for all candidates.
  void SentimentFeature(const catalog::Product& product, const events::Aggregates& events,
                        double shop_mean, float* row) const;

  const catalog::Catalog& catalog_;
  const lexical::InvertedIndex& index_;
  /// Per product, the median price of the products sharing its category path; NaN when the
  /// category has no priced product.
  std::vector<float> category_median_price_;
  /// Per product, a number for its brand and one for its category path (for the affinities).
  std::vector<uint32_t> brand_number_;
  std::vector<uint32_t> category_number_;
};

}  // namespace souk::rank
