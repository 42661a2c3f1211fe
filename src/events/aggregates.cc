#include "souk/events/aggregates.h"

#include <cmath>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "souk/base/str_cat.h"

namespace souk::events {
namespace {

ProductCounts Scaled(const ProductCounts& c, double factor) {
  return {c.impressions * factor, c.clicks * factor, c.carts * factor, c.purchases * factor,
          c.revenue * factor};
}

void AddCounts(ProductCounts* sum, const ProductCounts& c) {
  sum->impressions += c.impressions;
  sum->clicks += c.clicks;
  sum->carts += c.carts;
  sum->purchases += c.purchases;
  sum->revenue += c.revenue;
}

size_t ShardOf(std::string_view key, size_t shards) {
  return absl::Hash<std::string_view>()(key) % shards;
}

// Debian's Abseil has its own string_view, which its string-keyed maps look up by.
absl::string_view Key(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Beta-prior smoothing: `m` pseudo-impressions at the shop-wide rate.
double Smoothed(double successes, double trials, double shop_rate, double m) {
  return (successes + m * shop_rate) / (trials + m);
}

bool IsProductAction(EventType type) {
  return type == EventType::kClick || type == EventType::kAddToCart ||
         type == EventType::kPurchase || type == EventType::kReview;
}

}  // namespace

absl::Status AggregateOptions::Validate() const {
  if (half_life_ms <= 0) return absl::InvalidArgumentError("half_life_ms: must be > 0");
  if (!(prior_strength >= 0) || !std::isfinite(prior_strength)) {
    return absl::InvalidArgumentError("prior_strength: must be a finite number >= 0");
  }
  if (max_user_actions == 0) return absl::InvalidArgumentError("max_user_actions: must be > 0");
  return absl::OkStatus();
}

Aggregates::Aggregates(const AggregateOptions& options)
    : options_(options), queries_(options.half_life_ms, options.max_queries) {}

void Aggregates::Accumulate(Decayed* decayed, int64_t at_ms, const ProductCounts& delta) const {
  if (decayed->as_of_ms == INT64_MIN) {
    decayed->counts = delta;
    decayed->as_of_ms = at_ms;
  } else if (at_ms >= decayed->as_of_ms) {
    decayed->counts = DecayTo(*decayed, at_ms);
    AddCounts(&decayed->counts, delta);
    decayed->as_of_ms = at_ms;
  } else {  // a late event: it has decayed since it happened
    const double age = static_cast<double>(decayed->as_of_ms - at_ms);
    AddCounts(&decayed->counts, Scaled(delta, std::exp2(-age / options_.half_life_ms)));
  }
}

ProductCounts Aggregates::DecayTo(const Decayed& decayed, int64_t now_ms) const {
  if (decayed.as_of_ms == INT64_MIN || now_ms <= decayed.as_of_ms) return decayed.counts;
  const double age = static_cast<double>(now_ms - decayed.as_of_ms);
  return Scaled(decayed.counts, std::exp2(-age / options_.half_life_ms));
}

void Aggregates::AddTo(CountShards& shards, std::string_view key, int64_t at_ms,
                       const ProductCounts& delta) {
  if (key.empty()) return;
  CountShard& shard = shards[ShardOf(key, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  Accumulate(&shard.counts[Key(key)], at_ms, delta);
}

ProductCounts Aggregates::Read(const CountShards& shards, std::string_view key,
                               int64_t now_ms) const {
  const CountShard& shard = shards[ShardOf(key, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  const auto it = shard.counts.find(Key(key));
  return it == shard.counts.end() ? ProductCounts{} : DecayTo(it->second, now_ms);
}

void Aggregates::AddToUser(const Event& event) {
  UserShard& shard = user_shards_[ShardOf(event.user_id, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  std::deque<UserAction>& actions = shard.users[Key(event.user_id)];
  // Keep time order when an event arrives late: insert before the newer ones.
  auto at = actions.end();
  while (at != actions.begin() && std::prev(at)->timestamp_ms > event.timestamp_ms) --at;
  actions.insert(at, UserAction{event.product_id, event.type, event.timestamp_ms});
  if (actions.size() > options_.max_user_actions) actions.pop_front();
}

void Aggregates::Apply(const Event& event) {
  Apply(event, [](std::string_view) { return std::string_view(); });
}

void Aggregates::Apply(const Event& event, BrandOf brand_of) {
  ProductCounts shop_delta;
  const int64_t t = event.timestamp_ms;
  switch (event.type) {
    case EventType::kImpression:
      for (const std::string& id : event.product_ids) {
        AddTo(product_shards_, id, t, {.impressions = 1});
        AddTo(brand_shards_, brand_of(id), t, {.impressions = 1});
      }
      shop_delta.impressions = static_cast<double>(event.product_ids.size());
      break;
    case EventType::kClick:
      shop_delta.clicks = 1;
      break;
    case EventType::kAddToCart:
      shop_delta.carts = 1;
      break;
    case EventType::kPurchase:
      shop_delta.purchases = event.quantity;
      shop_delta.revenue = event.quantity * event.unit_price;
      break;
    case EventType::kSearch:
      queries_.Add(event.query, event.user_id, t);
      break;
    case EventType::kReview:
      break;
  }
  if (event.type != EventType::kImpression && event.type != EventType::kSearch &&
      event.type != EventType::kReview) {
    AddTo(product_shards_, event.product_id, t, shop_delta);
    AddTo(brand_shards_, brand_of(event.product_id), t, shop_delta);
  }
  if (IsProductAction(event.type)) AddToUser(event);
  std::lock_guard<std::mutex> lock(shop_mutex_);
  Accumulate(&shop_, t, shop_delta);
  ++applied_;
}

ProductCounts Aggregates::Counts(std::string_view product_id, int64_t now_ms) const {
  return Read(product_shards_, product_id, now_ms);
}

ProductCounts Aggregates::BrandCounts(std::string_view brand, int64_t now_ms) const {
  return Read(brand_shards_, brand, now_ms);
}

ProductCounts Aggregates::ShopCounts(int64_t now_ms) const {
  std::lock_guard<std::mutex> lock(shop_mutex_);
  return DecayTo(shop_, now_ms);
}

ProductRates Aggregates::Rates(std::string_view product_id, int64_t now_ms) const {
  return Smooth(Counts(product_id, now_ms), ShopCounts(now_ms));
}

ProductRates Aggregates::BrandRates(std::string_view brand, int64_t now_ms) const {
  return Smooth(BrandCounts(brand, now_ms), ShopCounts(now_ms));
}

ProductRates Aggregates::Smooth(const ProductCounts& p, const ProductCounts& shop) const {
  const double m = options_.prior_strength;
  const auto shop_rate = [&](double successes) {
    return shop.impressions > 0 ? successes / shop.impressions : 0.0;
  };
  if (p.impressions + m <= 0) return {};
  return {.click_through = Smoothed(p.clicks, p.impressions, shop_rate(shop.clicks), m),
          .add_to_cart = Smoothed(p.carts, p.impressions, shop_rate(shop.carts), m),
          .conversion = Smoothed(p.purchases, p.impressions, shop_rate(shop.purchases), m)};
}

std::vector<UserAction> Aggregates::RecentActions(std::string_view user_id) const {
  const UserShard& shard = user_shards_[ShardOf(user_id, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  const auto it = shard.users.find(Key(user_id));
  if (it == shard.users.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void Aggregates::ApplySentiment(std::string_view product_id, double positive) {
  {
    SentimentShard& shard = sentiment_shards_[ShardOf(product_id, kShards)];
    std::lock_guard<std::mutex> lock(shard.mutex);
    ReviewSentiment& product = shard.products[Key(product_id)];
    product.reviews += 1;
    product.positive += positive;
  }
  std::lock_guard<std::mutex> lock(shop_mutex_);
  shop_sentiment_.reviews += 1;
  shop_sentiment_.positive += positive;
}

ReviewSentiment Aggregates::Sentiment(std::string_view product_id) const {
  const SentimentShard& shard = sentiment_shards_[ShardOf(product_id, kShards)];
  std::lock_guard<std::mutex> lock(shard.mutex);
  const auto it = shard.products.find(Key(product_id));
  return it == shard.products.end() ? ReviewSentiment{} : it->second;
}

ReviewSentiment Aggregates::ShopSentiment() const {
  std::lock_guard<std::mutex> lock(shop_mutex_);
  return shop_sentiment_;
}

uint64_t Aggregates::events_applied() const {
  std::lock_guard<std::mutex> lock(shop_mutex_);
  return applied_;
}

}  // namespace souk::events
