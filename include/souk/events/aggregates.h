// Aggregates: what the event log says about each product and each user, kept up to date as
// events arrive and rebuilt from the log on start.
//
// Per product: impressions, clicks, carts, purchases and revenue, each an exponentially
// time-decayed count (half-life from the options), and click-through, add-to-cart and
// conversion rates smoothed toward the shop-wide rate by a Beta prior worth `prior_strength`
// impressions. Decay and smoothing follow Agarwal, Chen & Elango, "Spatio-temporal models for
// estimating click-through rate", WWW 2009: recent behaviour counts more, and a product shown
// ten times is not judged on ten impressions alone.
// Per brand: the same counts and rates over the brand's products, which the ranker reads for
// products too new or too rarely shown to have rates of their own; the caller names each
// product's brand (the catalog is not the log's).
// Per user: the most recent actions on products (click, add-to-cart, purchase, review), newest
// last, at most max_user_actions; what Recommend reads so that a click shows in the next call.
// Per query: how often it was searched and by how many users (queries(), query_counts.h), what
// query suggestions are made of.
// Per product: what its reviews say, as a sentiment classifier scored their text
// (ApplySentiment; engine/review_scorer.h). Not decayed: a product's reviews are few, and what
// they say of it does not go stale as a click does.
//
// Times are the events' own (timestamp_ms), so a replay rebuilds the same state, and events that
// arrive late or out of order count as of when they happened.
//
// Thread-safety: Apply and every reader may run on many threads at once (sharded locks).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "souk/events/event.h"
#include "souk/events/query_counts.h"

namespace souk::events {

struct AggregateOptions {
  int64_t half_life_ms = 14LL * 24 * 3600 * 1000;  ///< A count halves in this long.
  double prior_strength = 100;    ///< Impressions' worth of the shop-wide rate in each rate.
  size_t max_user_actions = 200;  ///< Recent actions kept per user.
  size_t max_queries = 200000;    ///< Distinct searched queries counted (query_counts.h).

  absl::Status Validate() const;
};

/// Decayed counts of one product (or of the shop) as of one moment.
struct ProductCounts {
  double impressions = 0;
  double clicks = 0;
  double carts = 0;
  double purchases = 0;  ///< Units bought.
  double revenue = 0;    ///< Sum of quantity x unit price.
};

/// Smoothed rates of one product; the shop-wide rates when it has no events.
struct ProductRates {
  double click_through = 0;  ///< Clicks per impression.
  double add_to_cart = 0;    ///< Carts per impression.
  double conversion = 0;     ///< Purchases per impression.
};

/// The scored reviews of one product (or of the shop).
struct ReviewSentiment {
  double reviews = 0;   ///< Reviews scored.
  double positive = 0;  ///< The sum of their P(positive).
};

struct UserAction {
  std::string product_id;
  EventType type = EventType::kClick;
  int64_t timestamp_ms = 0;
};

class Aggregates {
 public:
  explicit Aggregates(const AggregateOptions& options);

  /// The brand of a product id ("" when unknown or brandless).
  using BrandOf = absl::FunctionRef<std::string_view(std::string_view product_id)>;

  /// Counts one accepted event, for the brand counts under `brand_of`'s brands (the one-argument
  /// form counts no brand). Searches count in queries() only.
  void Apply(const Event& event, BrandOf brand_of);
  void Apply(const Event& event);

  /// The product's counts decayed to `now_ms`; zeros for a product without events.
  ProductCounts Counts(std::string_view product_id, int64_t now_ms) const;
  /// The shop's counts decayed to `now_ms`.
  ProductCounts ShopCounts(int64_t now_ms) const;
  ProductRates Rates(std::string_view product_id, int64_t now_ms) const;
  /// The same over the products of `brand`, as counted by Apply's `brand_of`.
  ProductCounts BrandCounts(std::string_view brand, int64_t now_ms) const;
  ProductRates BrandRates(std::string_view brand, int64_t now_ms) const;
  /// `counts` smoothed toward the rates of `shop` (ShopCounts at the same moment): what Rates
  /// and BrandRates return, for a reader of many products that reads the shop once.
  ProductRates Smooth(const ProductCounts& counts, const ProductCounts& shop) const;

  /// Counts one review's P(positive) in [0, 1] for `product_id` and the shop. Scores arrive
  /// after the review's Apply (a classifier reads the text meanwhile), so they count apart.
  void ApplySentiment(std::string_view product_id, double positive);
  /// Zeros for a product without a scored review.
  ReviewSentiment Sentiment(std::string_view product_id) const;
  ReviewSentiment ShopSentiment() const;

  /// The user's recent actions on products, oldest first; empty for an unknown user.
  std::vector<UserAction> RecentActions(std::string_view user_id) const;

  /// Events applied so far.
  uint64_t events_applied() const;

  /// The searched queries.
  const QueryCounts& queries() const { return queries_; }

 private:
  // Counts as of `as_of_ms`; reading at a later time multiplies by the decay in between.
  struct Decayed {
    ProductCounts counts;
    int64_t as_of_ms = INT64_MIN;
  };
  struct CountShard {
    mutable std::mutex mutex;
    absl::flat_hash_map<std::string, Decayed> counts;  ///< By product id, or by brand.
  };
  using CountShards = std::array<CountShard, 32>;
  struct UserShard {
    mutable std::mutex mutex;
    absl::flat_hash_map<std::string, std::deque<UserAction>> users;
  };
  struct SentimentShard {
    mutable std::mutex mutex;
    absl::flat_hash_map<std::string, ReviewSentiment> products;
  };
  static constexpr size_t kShards = 32;

  void AddTo(CountShards& shards, std::string_view key, int64_t at_ms, const ProductCounts& delta);
  ProductCounts Read(const CountShards& shards, std::string_view key, int64_t now_ms) const;
  void AddToUser(const Event& event);
  ProductCounts DecayTo(const Decayed& decayed, int64_t now_ms) const;
  void Accumulate(Decayed* decayed, int64_t at_ms, const ProductCounts& delta) const;

  AggregateOptions options_;
  CountShards product_shards_;
  CountShards brand_shards_;
  std::array<UserShard, kShards> user_shards_;
  std::array<SentimentShard, kShards> sentiment_shards_;
  QueryCounts queries_;
  mutable std::mutex shop_mutex_;  ///< Guards shop_, shop_sentiment_ and applied_.
  Decayed shop_;
  ReviewSentiment shop_sentiment_;
  uint64_t applied_ = 0;
};

}  // namespace souk::events
