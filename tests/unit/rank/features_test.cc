#include "souk/rank/features.h"

#include <cmath>
#include <memory>

#include "gtest/gtest.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "souk/text/analyzer.h"
#include "support/test_support.h"

namespace souk::rank {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1'800'000'000;

catalog::Product MakeProduct(std::string id, std::string title, std::string brand,
                             std::vector<std::string> category, std::optional<double> price) {
  catalog::Product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.brand = std::move(brand);
  p.category_path = std::move(category);
  p.price = price;
  return p;
}

class FeaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<catalog::Product> products = {
        MakeProduct("drill", "Cordless drill 18V", "Makita", {"Tools", "Drills"}, 100.0),
        MakeProduct("bits", "Wood bits for any drill", "Bosch", {"Tools", "Drills"}, 20.0),
        MakeProduct("rug", "Wool rug", "", {"Home"}, std::nullopt),
        MakeProduct("case", "Drill case", "Makita", {"Tools", "Drills"}, 40.0),
    };
    products[0].created_unix_s = kNow - 10 * kDay;
    products[2].stock = 0;
    auto analyzer = text::Analyzer::Create({});
    ASSERT_OK(analyzer);
    analyzer_ = *std::move(analyzer);
    auto catalog = catalog::Catalog::Create(std::move(products));
    ASSERT_OK(catalog);
    catalog_ = *std::move(catalog);
    auto index = lexical::InvertedIndex::Build(*catalog_, *analyzer_, {});
    ASSERT_OK(index);
    index_ = *std::move(index);
    extractor_ = std::make_unique<FeatureExtractor>(*catalog_, *index_);
  }

  // Every product as a candidate that retrieval knows nothing of.
  std::vector<Candidate> EveryProduct() const {
    std::vector<Candidate> candidates;
    for (uint32_t i = 0; i < catalog_->size(); ++i) {
      candidates.push_back({catalog::DocId(i), 0, std::nullopt, 0});
    }
    return candidates;
  }

  float At(const std::vector<float>& rows, size_t row, std::string_view name) {
    const std::optional<size_t> column = FindFeature(name);
    EXPECT_TRUE(column.has_value()) << name;
    return rows.at(row * kNumFeatures + column.value_or(0));
  }

  std::unique_ptr<text::Analyzer> analyzer_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<lexical::InvertedIndex> index_;
  std::unique_ptr<FeatureExtractor> extractor_;
};

TEST_F(FeaturesTest, TableNamesAreUnique) {
  for (size_t i = 0; i < kNumFeatures; ++i) {
    EXPECT_EQ(FindFeature(kFeatureTable[i].name), i) << kFeatureTable[i].name;
    EXPECT_FALSE(kFeatureTable[i].description.empty());
  }
  EXPECT_FALSE(FindFeature("no_such_feature").has_value());
}

TEST_F(FeaturesTest, DocsTableNamesEveryFeature) {
  auto doc = ReadFileToString(souk::testing::SourcePath("docs/ranking.md"));
  ASSERT_OK(doc);
  for (size_t i = 0; i < kNumFeatures; ++i) {
    const std::string row = StrCat("| ", i, " | `", kFeatureTable[i].name, "` |");
    EXPECT_NE(doc->find(row), std::string::npos) << row;
  }
}

TEST_F(FeaturesTest, LexicalFeaturesFollowTheMatches) {
  const std::vector<std::string> terms = analyzer_->Analyze("makita cordless drill");
  const std::vector<Candidate> candidates = {{catalog::DocId(0), 1, 0.9f, 2},
                                             {catalog::DocId(1), 3, std::nullopt, 0},
                                             {catalog::DocId(2), 0, 0.1f, 1},
                                             {catalog::DocId(3), 2, std::nullopt, 0}};
  const std::vector<float> f = extractor_->Extract(terms, candidates, {.now_ms = kNow * 1000});
  ASSERT_EQ(f.size(), candidates.size() * kNumFeatures);
  for (size_t row = 0; row < candidates.size(); ++row) {
    EXPECT_NEAR(At(f, row, "bm25f"), index_->Score(terms, candidates[row].doc), 1e-5);
    EXPECT_EQ(At(f, row, "query_terms"), 3.0f);
  }
  // The drill holds every term, the brand in its brand field.
  EXPECT_EQ(At(f, 0, "matched_terms_fraction"), 1.0f);
  EXPECT_FLOAT_EQ(At(f, 0, "idf_coverage"), 1.0f);
  EXPECT_EQ(At(f, 0, "all_terms_in_title"), 0.0f);  // "makita" is the brand, not the title
  EXPECT_GT(At(f, 0, "brand_idf_coverage"), 0.0f);
  EXPECT_FLOAT_EQ(At(f, 0, "title_idf_coverage") + At(f, 0, "brand_idf_coverage"), 1.0f);
  EXPECT_EQ(At(f, 0, "max_missing_idf"), 0.0f);
  // The bits match "drill" only; the rug nothing.
  EXPECT_FLOAT_EQ(At(f, 1, "matched_terms_fraction"), 1.0f / 3);
  EXPECT_GT(At(f, 1, "max_missing_idf"), 0.0f);
  EXPECT_EQ(At(f, 2, "bm25f"), 0.0f);
  EXPECT_EQ(At(f, 2, "idf_coverage"), 0.0f);
  // Retrieval signals.
  EXPECT_EQ(At(f, 0, "bm25_reciprocal_rank"), 1.0f);
  EXPECT_EQ(At(f, 0, "dense_reciprocal_rank"), 0.5f);
  EXPECT_FLOAT_EQ(At(f, 0, "dense_cosine"), 0.9f);
  EXPECT_TRUE(std::isnan(At(f, 1, "dense_cosine")));
  EXPECT_EQ(At(f, 2, "bm25_reciprocal_rank"), 0.0f);
}

TEST_F(FeaturesTest, ProductFeatures) {
  const std::vector<Candidate> candidates = EveryProduct();
  const std::vector<float> f = extractor_->Extract({}, candidates, {.now_ms = kNow * 1000});
  EXPECT_EQ(At(f, 0, "price"), 100.0f);
  // Tools > Drills prices 100, 20, 40: median 40.
  EXPECT_FLOAT_EQ(At(f, 0, "price_to_category_median"), 2.5f);
  EXPECT_FLOAT_EQ(At(f, 1, "price_to_category_median"), 0.5f);
  EXPECT_TRUE(std::isnan(At(f, 2, "price")));
  EXPECT_TRUE(std::isnan(At(f, 2, "price_to_category_median")));
  EXPECT_FLOAT_EQ(At(f, 0, "log_age_days"), std::log1p(10.0f));
  EXPECT_TRUE(std::isnan(At(f, 1, "log_age_days")));
  EXPECT_EQ(At(f, 0, "in_stock"), 1.0f);
  EXPECT_EQ(At(f, 2, "in_stock"), 0.0f);
  EXPECT_EQ(At(f, 0, "title_words"), 3.0f);
  EXPECT_EQ(At(f, 1, "title_words"), 5.0f);
  // No query terms: nothing matches, nothing is missing.
  EXPECT_EQ(At(f, 0, "query_terms"), 0.0f);
  EXPECT_EQ(At(f, 0, "idf_coverage"), 0.0f);
  EXPECT_EQ(At(f, 0, "all_terms_in_title"), 0.0f);
  // No aggregates: every behaviour feature is missing.
  for (size_t c = *FindFeature("product_click_through"); c <= *FindFeature("review_sentiment");
       ++c) {
    EXPECT_TRUE(std::isnan(f[c])) << kFeatureTable[c].name;
  }
}

TEST_F(FeaturesTest, BehaviourFeaturesReadTheAggregatesAndTheUsersHistory) {
  events::Aggregates agg({.prior_strength = 0});
  const auto brand_of = [&](std::string_view id) { return catalog_->BrandOf(id); };
  const int64_t t = kNow * 1000;
  const auto act = [&](events::EventType type, std::string product, std::string user) {
    agg.Apply({.timestamp_ms = t,
               .user_id = std::move(user),
               .type = type,
               .product_id = std::move(product),
               .quantity = 1,
               .unit_price = 1},
              brand_of);
  };
  agg.Apply({.timestamp_ms = t,
             .user_id = "u9",
             .type = events::EventType::kImpression,
             .product_ids = {"drill", "bits", "case", "drill"}},
            brand_of);
  act(events::EventType::kClick, "drill", "u1");
  act(events::EventType::kPurchase, "drill", "u1");
  act(events::EventType::kClick, "bits", "u1");
  const std::vector<Candidate> candidates = EveryProduct();
  const std::vector<float> f =
      extractor_->Extract({}, candidates, {.now_ms = t, .user_id = "u1", .aggregates = &agg});
  EXPECT_FLOAT_EQ(At(f, 0, "product_click_through"), 0.5f);  // 2 impressions, 1 click
  EXPECT_FLOAT_EQ(At(f, 0, "product_conversion_rate"), 0.5f);
  EXPECT_FLOAT_EQ(At(f, 0, "log_product_purchases"), std::log(2.0f));
  EXPECT_FLOAT_EQ(At(f, 3, "product_click_through"), 0.0f);
  // Makita: the drill twice and the case once shown, one click.
  EXPECT_FLOAT_EQ(At(f, 3, "brand_click_through"), 1.0f / 3);
  EXPECT_TRUE(std::isnan(At(f, 2, "brand_click_through")));  // the rug has no brand
  // u1's actions weigh click 1, purchase 3: Makita 4 of 5, Tools > Drills 5 of 5.
  EXPECT_FLOAT_EQ(At(f, 3, "user_brand_affinity"), 0.8f);
  EXPECT_FLOAT_EQ(At(f, 1, "user_brand_affinity"), 0.2f);
  EXPECT_FLOAT_EQ(At(f, 3, "user_category_affinity"), 1.0f);
  EXPECT_FLOAT_EQ(At(f, 2, "user_category_affinity"), 0.0f);
  EXPECT_EQ(At(f, 0, "user_product_clicks"), 1.0f);
  EXPECT_EQ(At(f, 0, "user_product_purchases"), 1.0f);
  EXPECT_EQ(At(f, 3, "user_product_purchases"), 0.0f);
  // A user without history: the user features are missing, the product ones are not.
  const std::vector<float> anonymous =
      extractor_->Extract({}, candidates, {.now_ms = t, .user_id = "u2", .aggregates = &agg});
  EXPECT_TRUE(std::isnan(At(anonymous, 0, "user_brand_affinity")));
  EXPECT_TRUE(std::isnan(At(anonymous, 0, "user_product_clicks")));
  EXPECT_FLOAT_EQ(At(anonymous, 0, "product_click_through"), 0.5f);
}

TEST_F(FeaturesTest, ReviewSentimentIsTheSmoothedMeanOfTheScoredReviews) {
  events::Aggregates agg({});
  agg.ApplySentiment("drill", 1.0);
  agg.ApplySentiment("drill", 0.9);
  agg.ApplySentiment("bits", 0.2);
  const std::vector<float> f =
      extractor_->Extract({}, EveryProduct(), {.now_ms = kNow * 1000, .aggregates = &agg});
  // The shop's mean is 0.7; two reviews' worth of it join each product's own.
  EXPECT_FLOAT_EQ(At(f, 0, "review_sentiment"), (1.9f + 2 * 0.7f) / 4);
  EXPECT_FLOAT_EQ(At(f, 1, "review_sentiment"), (0.2f + 2 * 0.7f) / 3);
  EXPECT_TRUE(std::isnan(At(f, 2, "review_sentiment")));  // no scored review
  const std::vector<float> without = extractor_->Extract({}, EveryProduct(), {.now_ms = kNow});
  EXPECT_TRUE(std::isnan(At(without, 0, "review_sentiment")));
}

}  // namespace
}  // namespace souk::rank
