#include "souk/rank/features.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "souk/base/check.h"

namespace souk::rank {
namespace {

using lexical::Field;

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr double kSecondsPerDay = 86400.0;

// Column of `name`; a misspelled name fails to compile (the loop runs out at compile time).
consteval size_t Column(std::string_view name) {
  for (size_t i = 0; i < kFeatureTable.size(); ++i) {
    if (kFeatureTable[i].name == name) return i;
  }
  throw "no such feature";
}

constexpr size_t kBm25f = Column("bm25f");
constexpr size_t kBm25ReciprocalRank = Column("bm25_reciprocal_rank");
constexpr size_t kDenseCosine = Column("dense_cosine");
constexpr size_t kDenseReciprocalRank = Column("dense_reciprocal_rank");
constexpr size_t kQueryTerms = Column("query_terms");
constexpr size_t kMatchedTermsFraction = Column("matched_terms_fraction");
constexpr size_t kIdfCoverage = Column("idf_coverage");
constexpr size_t kAllTermsInTitle = Column("all_terms_in_title");
constexpr size_t kMaxMissingIdf = Column("max_missing_idf");
constexpr size_t kTitleWords = Column("title_words");
constexpr size_t kPrice = Column("price");
constexpr size_t kPriceToCategoryMedian = Column("price_to_category_median");
constexpr size_t kLogAgeDays = Column("log_age_days");
constexpr size_t kInStock = Column("in_stock");
constexpr size_t kProductClickThrough = Column("product_click_through");
constexpr size_t kProductAddToCartRate = Column("product_add_to_cart_rate");
constexpr size_t kProductConversionRate = Column("product_conversion_rate");
constexpr size_t kLogProductPurchases = Column("log_product_purchases");
constexpr size_t kBrandClickThrough = Column("brand_click_through");
constexpr size_t kBrandConversionRate = Column("brand_conversion_rate");
constexpr size_t kUserBrandAffinity = Column("user_brand_affinity");
constexpr size_t kUserCategoryAffinity = Column("user_category_affinity");
constexpr size_t kUserProductClicks = Column("user_product_clicks");
constexpr size_t kUserProductPurchases = Column("user_product_purchases");
constexpr size_t kReviewSentiment = Column("review_sentiment");
// Reviews' worth of the shop's mean in a product's review_sentiment: one glowing review does
// not make a product the best reviewed.
constexpr double kSentimentPrior = 2;

// The per-field coverage columns, in Field order.
constexpr std::array<size_t, lexical::kNumFields> kFieldCoverage = {
    Column("title_idf_coverage"),       Column("brand_idf_coverage"),
    Column("category_idf_coverage"),    Column("attributes_idf_coverage"),
    Column("description_idf_coverage"), Column("expansion_idf_coverage")};

float ReciprocalRank(uint32_t rank) { return rank == 0 ? 0.0f : 1.0f / static_cast<float>(rank); }

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// How much an action says of a user's taste: a purchase more than a click.
double ActionWeight(events::EventType type) {
  switch (type) {
    case events::EventType::kPurchase:
      return 3;
    case events::EventType::kAddToCart:
      return 2;
    default:
      return 1;
  }
}

// Numbers the distinct values of `key(product)` over the catalog, in order of first appearance.
template <typename Key>
std::vector<uint32_t> NumberBy(const catalog::Catalog& catalog, Key key) {
  absl::flat_hash_map<std::string, uint32_t> numbers;
  std::vector<uint32_t> of_product;
  of_product.reserve(catalog.size());
  for (const catalog::Product& p : catalog.products()) {
    of_product.push_back(numbers.emplace(key(p), numbers.size()).first->second);
  }
  return of_product;
}

std::string CategoryKey(const catalog::Product& p) {
  return absl::StrJoin(p.category_path, catalog::kCategorySeparator);
}

float Median(std::vector<double> values) {
  if (values.empty()) return kMissing;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  return static_cast<float>(values[mid]);
}

}  // namespace

// A user's recent actions, weighted by ActionWeight, by brand and category number and product.
struct FeatureExtractor::UserHistory {
  double total = 0;
  absl::flat_hash_map<uint32_t, double> by_brand;
  absl::flat_hash_map<uint32_t, double> by_category;
  absl::flat_hash_map<uint32_t, std::pair<uint32_t, uint32_t>> by_product;  // clicks, purchases
};

std::optional<size_t> FindFeature(std::string_view name) {
  for (size_t i = 0; i < kFeatureTable.size(); ++i) {
    if (kFeatureTable[i].name == name) return i;
  }
  return std::nullopt;
}

FeatureExtractor::FeatureExtractor(const catalog::Catalog& catalog,
                                   const lexical::InvertedIndex& index)
    : catalog_(catalog), index_(index) {
  absl::flat_hash_map<std::string, std::vector<double>> prices;
  for (const catalog::Product& p : catalog.products()) {
    if (p.price)
      prices[absl::StrJoin(p.category_path, catalog::kCategorySeparator)].push_back(*p.price);
  }
  absl::flat_hash_map<std::string, float> medians;
  for (auto& [category, values] : prices) medians[category] = Median(std::move(values));
  category_median_price_.reserve(catalog.size());
  for (const catalog::Product& p : catalog.products()) {
    auto it = medians.find(CategoryKey(p));
    category_median_price_.push_back(it == medians.end() ? kMissing : it->second);
  }
  brand_number_ = NumberBy(catalog, [](const catalog::Product& p) { return p.brand; });
  category_number_ = NumberBy(catalog, CategoryKey);
}

std::vector<float> FeatureExtractor::Extract(const std::vector<std::string>& query_terms,
                                             std::span<const Candidate> candidates,
                                             const RequestContext& request) const {
  std::vector<catalog::DocId> docs;
  docs.reserve(candidates.size());
  for (const Candidate& c : candidates) docs.push_back(c.doc);
  const std::vector<lexical::TermMatch> matches = index_.MatchTerms(query_terms, docs);
  std::vector<float> features(candidates.size() * kNumFeatures, kMissing);
  const std::unique_ptr<UserHistory> history = History(request);
  const events::ProductCounts shop = request.aggregates == nullptr
                                         ? events::ProductCounts{}
                                         : request.aggregates->ShopCounts(request.now_ms);
  const events::ReviewSentiment shop_sentiment = request.aggregates == nullptr
                                                     ? events::ReviewSentiment{}
                                                     : request.aggregates->ShopSentiment();
  const double shop_mean =
      shop_sentiment.reviews > 0 ? shop_sentiment.positive / shop_sentiment.reviews : 0.5;
  const int64_t now_unix_s = request.now_ms / 1000;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    float* row = features.data() + i * kNumFeatures;
    row[kBm25ReciprocalRank] = ReciprocalRank(c.bm25_rank);
    if (c.cosine) row[kDenseCosine] = *c.cosine;
    row[kDenseReciprocalRank] = ReciprocalRank(c.dense_rank);
    const size_t n = query_terms.size();
    LexicalFeatures(std::span(matches).subspan(i * n, n), row);
    SOUK_CHECK(c.doc.value() < catalog_.size());
    ProductFeatures(catalog_.product(c.doc), now_unix_s, row);
    const float median = category_median_price_[c.doc.value()];
    if (median > 0) row[kPriceToCategoryMedian] = row[kPrice] / median;
    EventFeatures(catalog_.product(c.doc), request, shop, row);
    if (request.aggregates != nullptr) {
      SentimentFeature(catalog_.product(c.doc), *request.aggregates, shop_mean, row);
    }
    if (history != nullptr) UserFeatures(c.doc, *history, row);
  }
  return features;
}

void FeatureExtractor::EventFeatures(const catalog::Product& product, const RequestContext& request,
                                     const events::ProductCounts& shop, float* row) const {
  if (request.aggregates == nullptr) return;
  const events::Aggregates& events = *request.aggregates;
  const events::ProductCounts counts = events.Counts(product.id, request.now_ms);
  const events::ProductRates rates = events.Smooth(counts, shop);
  row[kProductClickThrough] = static_cast<float>(rates.click_through);
  row[kProductAddToCartRate] = static_cast<float>(rates.add_to_cart);
  row[kProductConversionRate] = static_cast<float>(rates.conversion);
  row[kLogProductPurchases] = static_cast<float>(std::log1p(counts.purchases));
  if (product.brand.empty()) return;
  const events::ProductRates brand =
      events.Smooth(events.BrandCounts(product.brand, request.now_ms), shop);
  row[kBrandClickThrough] = static_cast<float>(brand.click_through);
  row[kBrandConversionRate] = static_cast<float>(brand.conversion);
}

void FeatureExtractor::SentimentFeature(const catalog::Product& product,
                                        const events::Aggregates& events, double shop_mean,
                                        float* row) const {
  const events::ReviewSentiment sentiment = events.Sentiment(product.id);
  if (sentiment.reviews == 0) return;
  row[kReviewSentiment] = static_cast<float>((sentiment.positive + kSentimentPrior * shop_mean) /
                                             (sentiment.reviews + kSentimentPrior));
}

std::unique_ptr<FeatureExtractor::UserHistory> FeatureExtractor::History(
    const RequestContext& request) const {
  if (request.aggregates == nullptr || request.user_id.empty()) return nullptr;
  auto history = std::make_unique<UserHistory>();
  for (const events::UserAction& action : request.aggregates->RecentActions(request.user_id)) {
    const std::optional<catalog::DocId> doc = catalog_.Find(action.product_id);
    if (!doc) continue;  // a product no longer sold
    const double weight = ActionWeight(action.type);
    history->total += weight;
    if (!catalog_.product(*doc).brand.empty())
      history->by_brand[brand_number_[doc->value()]] += weight;
    history->by_category[category_number_[doc->value()]] += weight;
    auto& [clicks, purchases] = history->by_product[doc->value()];
    clicks += action.type == events::EventType::kClick ? 1 : 0;
    purchases += action.type == events::EventType::kPurchase ? 1 : 0;
  }
  if (history->total == 0) return nullptr;
  return history;
}

void FeatureExtractor::UserFeatures(catalog::DocId doc, const UserHistory& history,
                                    float* row) const {
  const auto share = [&](const absl::flat_hash_map<uint32_t, double>& weights, uint32_t key) {
    const auto it = weights.find(key);
    return static_cast<float>(it == weights.end() ? 0.0 : it->second / history.total);
  };
  if (!catalog_.product(doc).brand.empty()) {
    row[kUserBrandAffinity] = share(history.by_brand, brand_number_[doc.value()]);
  }
  row[kUserCategoryAffinity] = share(history.by_category, category_number_[doc.value()]);
  const auto it = history.by_product.find(doc.value());
  row[kUserProductClicks] = it == history.by_product.end() ? 0.0f : it->second.first;
  row[kUserProductPurchases] = it == history.by_product.end() ? 0.0f : it->second.second;
}

void FeatureExtractor::LexicalFeatures(std::span<const lexical::TermMatch> matches,
                                       float* row) const {
  double score = 0, known_idf = 0, matched_idf = 0, max_missing_idf = 0;
  std::array<double, lexical::kNumFields> field_idf{};
  size_t known = 0, matched = 0, in_title = 0;
  for (const lexical::TermMatch& m : matches) {
    if (m.idf <= 0) continue;  // a term the index does not know says nothing of this product
    ++known;
    known_idf += m.idf;
    score += static_cast<double>(m.idf) * m.impact;
    if (!m.matched()) {
      max_missing_idf = std::max<double>(max_missing_idf, m.idf);
      continue;
    }
    ++matched;
    matched_idf += m.idf;
    for (size_t f = 0; f < lexical::kNumFields; ++f) {
      if (m.InField(static_cast<Field>(f))) field_idf[f] += m.idf;
    }
    in_title += m.InField(Field::kTitle) ? 1 : 0;
  }
  row[kBm25f] = static_cast<float>(score);
  row[kQueryTerms] = static_cast<float>(known);
  const auto share = [](double part, double whole) {
    return whole > 0 ? static_cast<float>(part / whole) : 0.0f;
  };
  row[kMatchedTermsFraction] = share(static_cast<double>(matched), static_cast<double>(known));
  row[kIdfCoverage] = share(matched_idf, known_idf);
  for (size_t f = 0; f < lexical::kNumFields; ++f) {
    row[kFieldCoverage[f]] = share(field_idf[f], known_idf);
  }
  row[kAllTermsInTitle] = known > 0 && in_title == known ? 1.0f : 0.0f;
  row[kMaxMissingIdf] = static_cast<float>(max_missing_idf);
}

void FeatureExtractor::ProductFeatures(const catalog::Product& product, int64_t now_unix_s,
                                       float* row) const {
  row[kTitleWords] = static_cast<float>(CountWords(product.title));
  if (product.price) row[kPrice] = static_cast<float>(*product.price);
  if (product.created_unix_s > 0) {
    const double days = std::max(0.0, (now_unix_s - product.created_unix_s) / kSecondsPerDay);
    row[kLogAgeDays] = static_cast<float>(std::log1p(days));
  }
  row[kInStock] = product.InStock() ? 1.0f : 0.0f;
}

}  // namespace souk::rank
