#include "souk/lexical/filter.h"

#include <cmath>
#include <limits>

#include "lexical_test_util.h"
#include "souk/lexical/inverted_index.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using ::testing::ElementsAre;
using testing::MakeCatalog;
using testing::Terms;
using testing::TestAnalyzer;

catalog::Product Item(std::string title, std::string brand, std::vector<std::string> category,
                      std::optional<double> price, std::optional<int64_t> stock) {
  static int next_id = 0;
  catalog::Product p;
  p.id = "f" + std::to_string(next_id++);
  p.title = std::move(title);
  p.brand = std::move(brand);
  p.category_path = std::move(category);
  p.price = price;
  p.stock = stock;
  return p;
}

class FilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = MakeCatalog({
        Item("drill", "DeWalt", {"Tools", "Power", "Drills"}, 99.0, 3),            // 0
        Item("drill kit", "Ryobi", {"Tools", "Power", "Drills"}, 149.5, 0),        // 1
        Item("drill bit", "DeWalt", {"Tools", "Power", "Accessories"}, 9.99, {}),  // 2
        Item("hammer drill", "Husky", {"Tools", "Hand"}, {}, 1),                   // 3
        Item("drill lamp", "", {"Home", "Lighting"}, 20.0, {}),                    // 4
        Item("drill", "Ryobi", {}, 0.0, {}),                                       // 5
    });
    auto index = InvertedIndex::Build(*catalog_, TestAnalyzer(), {});
    ASSERT_OK(index);
    index_ = *std::move(index);
  }

  // DocIds that pass `filter`, from the compiled bitset and from a search that matches all.
  std::vector<uint32_t> Passing(const Filter& filter) {
    auto compiled = index_->CompileFilter(filter);
    EXPECT_OK(compiled);
    if (!compiled.ok()) return {};
    std::vector<uint32_t> docs;
    for (uint32_t d = 0; d < catalog_->size(); ++d) {
      if (compiled->Contains(catalog::DocId(d))) docs.push_back(d);
    }
    EXPECT_EQ(compiled->Count(), docs.size());
    SearchOptions all;
    all.k = 100;
    std::vector<uint32_t> found;
    for (const Hit& hit : index_->Search(Terms("drill"), &*compiled, all).hits) {
      found.push_back(hit.doc.value());
    }
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, docs) << "search and bitset disagree";
    return docs;
  }

  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<InvertedIndex> index_;
};

TEST_F(FilterTest, EmptyFilterPassesEverything) {
  EXPECT_TRUE(Filter{}.empty());
  EXPECT_THAT(Passing({}), ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST_F(FilterTest, CategoryMatchesTheSubtree) {
  EXPECT_THAT(Passing({.category_path = {"Tools"}}), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Passing({.category_path = {"Tools", "Power"}}), ElementsAre(0, 1, 2));
  EXPECT_THAT(Passing({.category_path = {"Tools", "Power", "Drills"}}), ElementsAre(0, 1));
  EXPECT_THAT(Passing({.category_path = {"Home"}}), ElementsAre(4));
}

TEST_F(FilterTest, BrandsAreExactAlternatives) {
  EXPECT_THAT(Passing({.brands = {"DeWalt"}}), ElementsAre(0, 2));
  EXPECT_THAT(Passing({.brands = {"DeWalt", "Ryobi"}}), ElementsAre(0, 1, 2, 5));
  EXPECT_THAT(
      index_->CompileFilter({.brands = {"dewalt"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, "filters.brands: unknown brand 'dewalt'"));
}

TEST_F(FilterTest, PriceBoundsAreInclusiveAndNeedAPrice) {
  EXPECT_THAT(Passing({.min_price = 20.0}), ElementsAre(0, 1, 4));
  EXPECT_THAT(Passing({.max_price = 20.0}), ElementsAre(2, 4, 5));
  EXPECT_THAT(Passing({.min_price = 20.0, .max_price = 20.0}), ElementsAre(4));
  EXPECT_THAT(Passing({.min_price = 0.0}), ElementsAre(0, 1, 2, 4, 5));
  EXPECT_THAT(Passing({.max_price = std::numeric_limits<double>::infinity()}),
              ElementsAre(0, 1, 2, 4, 5));
}

TEST_F(FilterTest, InStockTreatsUntrackedStockAsInStock) {
  EXPECT_THAT(Passing({.in_stock_only = true}), ElementsAre(0, 2, 3, 4, 5));
}

TEST_F(FilterTest, CombinedConditionsAllHold) {
  EXPECT_THAT(Passing({.category_path = {"Tools"},
                       .brands = {"DeWalt", "Husky"},
                       .max_price = 100.0,
                       .in_stock_only = true}),
              ElementsAre(0, 2));
  EXPECT_THAT(Passing({.category_path = {"Home"}, .brands = {"Ryobi"}}), ElementsAre());
}

TEST_F(FilterTest, RejectsUnknownValuesAndBadBounds) {
  EXPECT_THAT(
      index_->CompileFilter({.brands = {"DeWalt", "Makita"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, "filters.brands: unknown brand 'Makita'"));
  EXPECT_THAT(index_->CompileFilter({.category_path = {"Tools", "Garden"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "filters.category: unknown category 'Tools > Garden'"));
  EXPECT_THAT(index_->CompileFilter({.category_path = {"Power"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown category 'Power'"));
  EXPECT_THAT(index_->CompileFilter({.min_price = 50.0, .max_price = 10.0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "filters.price.min"));
  EXPECT_THAT(index_->CompileFilter({.min_price = -1.0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "filters.price.min"));
  EXPECT_THAT(index_->CompileFilter({.max_price = -5.0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "filters.price.max"));
  EXPECT_THAT(index_->CompileFilter({.max_price = std::nan("")}),
              StatusIs(absl::StatusCode::kInvalidArgument, "filters.price.max"));
}

TEST_F(FilterTest, FacetsCountAllMatchesBrandsAndTopCategories) {
  SearchOptions o;
  o.k = 1;
  o.facets = true;
  const SearchResult r = index_->Search(Terms("drill"), nullptr, o);
  EXPECT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.total_matches, 6u);
  // Count descending, then value ascending; products without a brand are not counted.
  EXPECT_THAT(r.facets.brands,
              ElementsAre(FacetValue{"DeWalt", 2}, FacetValue{"Ryobi", 2}, FacetValue{"Husky", 1}));
  EXPECT_THAT(r.facets.categories, ElementsAre(FacetValue{"Tools", 4}, FacetValue{"Home", 1}));
  const SearchResult slow = index_->SearchExhaustive(Terms("drill"), nullptr, o);
  EXPECT_EQ(slow.facets.brands, r.facets.brands);
  EXPECT_EQ(slow.facets.categories, r.facets.categories);
  EXPECT_EQ(slow.total_matches, r.total_matches);
}

TEST_F(FilterTest, FacetsCountOneLevelBelowTheFilterCategory) {
  SearchOptions o;
  o.facets = true;
  LEX_ASSERT_OK_AND_ASSIGN(tools, index_->CompileFilter({.category_path = {"Tools"}}));
  const SearchResult r = index_->Search(Terms("drill"), &tools, o);
  EXPECT_EQ(r.total_matches, 4u);
  EXPECT_THAT(r.facets.categories, ElementsAre(FacetValue{"Power", 3}, FacetValue{"Hand", 1}));
  EXPECT_THAT(r.facets.brands,
              ElementsAre(FacetValue{"DeWalt", 2}, FacetValue{"Husky", 1}, FacetValue{"Ryobi", 1}));

  LEX_ASSERT_OK_AND_ASSIGN(leaf,
                           index_->CompileFilter({.category_path = {"Tools", "Power", "Drills"}}));
  const SearchResult at_leaf = index_->Search(Terms("drill"), &leaf, o);
  EXPECT_EQ(at_leaf.total_matches, 2u);
  EXPECT_TRUE(at_leaf.facets.categories.empty());
}

TEST_F(FilterTest, FacetsFollowTheQueryAndTheLimit) {
  SearchOptions o;
  o.facets = true;
  o.max_facet_values = 1;
  const SearchResult r = index_->Search(Terms("drill"), nullptr, o);
  EXPECT_THAT(r.facets.brands, ElementsAre(FacetValue{"DeWalt", 2}));
  o.max_facet_values = 20;
  const SearchResult kit = index_->Search(Terms("kit"), nullptr, o);
  EXPECT_EQ(kit.total_matches, 1u);
  EXPECT_THAT(kit.facets.brands, ElementsAre(FacetValue{"Ryobi", 1}));
  const SearchResult none = index_->Search(Terms("zebra"), nullptr, o);
  EXPECT_EQ(none.total_matches, 0u);
  EXPECT_TRUE(none.facets.brands.empty());
}

TEST(DocFilterTest, CountIgnoresBitsPastTheEnd) {
  const DocFilter filter({~uint64_t{0}, ~uint64_t{0}}, 70);
  EXPECT_EQ(filter.Count(), 70u);
  EXPECT_TRUE(filter.Contains(catalog::DocId(69)));
}

}  // namespace
}  // namespace souk::lexical
