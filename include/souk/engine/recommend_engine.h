// RecommendEngine: answers Recommend and SimilarItems against the current Snapshot.
//
// Recommend reads the user's stored history (the recommender's interactions), then the user's
// live actions (the event log's clicks, carts, purchases and reviews, so a click shows in the
// next call), the request's recent products (newest last) and, on a product page, that product
// as the newest of all.
// Candidate generators, each a ranked list of products:
//   sequential     the sequential model's next items after the history
//   co-visitation  items seen after (and, less, before) the history's newest items
//   bought-together  for a cart or a product page, what is bought with its products
//   content        the products whose vectors are nearest the newest product's, on a product
//                  page or when the others found nothing (new products have no behaviour yet)
// merged by reciprocal rank; then filtered (in stock, the request's category, never a product
// of the history unless its category is a repeat-purchase one, never the page's product),
// diversified (at most max_per_category of one category before the others), and filled up by
// trending products, those of the page's category (and the ones above it) first: the answer
// for a new user (a shop without interactions fills up in catalog order).
//
// SimilarItems merges the product's co-visited items and its content neighbours the same way,
// filled up by trending products of its category, then of the categories above it (never of
// unrelated ones: fewer results rather than dissimilar ones).
//
// Thread-safety: Recommend and SimilarItems may run on many threads while the search engine
// swaps snapshots; a request holds the snapshot it started with.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/request_ids.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/events/aggregates.h"

namespace souk::engine {

enum class PageContext { kUnspecified, kHome, kProduct, kCart };

struct RecommendRequest {
  // Every member has an initializer, so requests can be written with designated initializers.
  std::string user_id{};                          ///< Empty for an anonymous visitor.
  std::vector<std::string> recent_product_ids{};  ///< Newest last (for a cart: its products).
  PageContext context = PageContext::kUnspecified;
  std::string context_product_id{};  ///< The product of a product page.
  int64_t page_size = 10;
  // Filters, as Search's: each must name a value of the catalog.
  std::string category{};             ///< "Top > Sub" subtree; empty = any.
  std::vector<std::string> brands{};  ///< Any of these; empty = any.
  std::optional<double> min_price{};  ///< Inclusive; products without a price never match.
  std::optional<double> max_price{};
};

struct Recommended {
  catalog::DocId doc;
  const catalog::Product* product = nullptr;  ///< Owned by RecommendPage::snapshot.
  float score = 0;     ///< The fused reciprocal-rank score; 0 for trending and catalog fill.
  std::string source;  ///< The generators that proposed it, "+"-joined.
};

struct RecommendPage {
  std::shared_ptr<const Snapshot> snapshot;  ///< Keeps `items[].product` alive.
  std::vector<Recommended> items;
  std::string request_id;
};

class RecommendEngine {
 public:
  /// `search` supplies the current snapshot; `live_activity` (may be null: no live
  /// histories) the users' recent actions. Both must outlive the engine.
  static absl::StatusOr<std::unique_ptr<RecommendEngine>> Create(
      const RecommendOptions& options, const SearchEngine* search,
      const events::Aggregates* live_activity = nullptr);

  /// INVALID_ARGUMENT naming the field for page_size out of range, too many recent products,
  /// a malformed or unknown category, an unknown brand, a bad price range, invalid UTF-8. Unknown
  /// users and products give a smaller history, not an error.
  absl::StatusOr<RecommendPage> Recommend(const RecommendRequest& request) const;
  /// NOT_FOUND for an unknown product; INVALID_ARGUMENT for page_size out of range.
  absl::StatusOr<RecommendPage> SimilarItems(const std::string& product_id,
                                             int64_t page_size) const;

 private:
  RecommendEngine(const RecommendOptions& options, const SearchEngine* search,
                  const events::Aggregates* live_activity);

  RecommendOptions options_;
  std::vector<std::vector<std::string>> repeat_purchase_paths_;
  const SearchEngine* search_;
  const events::Aggregates* live_activity_;
  RequestIds request_ids_;
};

}  // namespace souk::engine
