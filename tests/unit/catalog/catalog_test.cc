#include "souk/catalog/catalog.h"

#include <cmath>

#include "support/test_support.h"

namespace souk::catalog {
namespace {

using ::souk::testing::StatusIs;
using ::testing::HasSubstr;

Product Make(std::string id, std::string title = "") {
  Product product;
  product.id = std::move(id);
  product.title = std::move(title);
  return product;
}

TEST(ProductTextTest, IsTheBrandAndTitleWithoutRepeatingTheBrand) {
  Product p;
  p.title = "Cordless Drill 18V";
  EXPECT_EQ(ProductText(p), "Cordless Drill 18V");
  p.brand = "Makita";
  EXPECT_EQ(ProductText(p), "Makita Cordless Drill 18V");
  p.title = "Makita Cordless Drill 18V";
  EXPECT_EQ(ProductText(p), "Makita Cordless Drill 18V");
  p.description = "not embedded";
  EXPECT_EQ(ProductText(p), "Makita Cordless Drill 18V");
}

TEST(CatalogTest, FindsProductsByIdAndDocId) {
  auto catalog = Catalog::Create({Make("a", "Apple"), Make("b", "Banana"), Make("中文", "Tea")});
  ASSERT_OK(catalog);
  EXPECT_EQ((*catalog)->size(), 3u);
  ASSERT_EQ((*catalog)->Find("b"), DocId(1));
  EXPECT_EQ((*catalog)->product(DocId(1)).title, "Banana");
  EXPECT_EQ((*catalog)->Find("中文"), DocId(2));
  EXPECT_EQ((*catalog)->Find("c"), std::nullopt);
  EXPECT_EQ((*catalog)->Find(""), std::nullopt);
  EXPECT_EQ((*catalog)->products()[0].id, "a");
}

TEST(CatalogTest, BrandOfAProductIdIsEmptyWhenUnknown) {
  Product branded = Make("a", "Drill");
  branded.brand = "Makita";
  auto catalog = Catalog::Create({branded, Make("b", "Rug")});
  ASSERT_OK(catalog);
  EXPECT_EQ((*catalog)->BrandOf("a"), "Makita");
  EXPECT_EQ((*catalog)->BrandOf("b"), "");
  EXPECT_EQ((*catalog)->BrandOf("zz"), "");
}

TEST(CatalogTest, EmptyCatalogIsValid) {
  auto catalog = Catalog::Create({});
  ASSERT_OK(catalog);
  EXPECT_EQ((*catalog)->size(), 0u);
  EXPECT_EQ((*catalog)->Find("a"), std::nullopt);
}

TEST(CatalogTest, DuplicateIdIsRejectedNamingItAndBothPositions) {
  EXPECT_THAT(Catalog::Create({Make("a"), Make("dup"), Make("b"), Make("dup")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "duplicate product id \"dup\" at positions 1 and 3"));
}

TEST(CatalogTest, EmptyIdIsRejected) {
  EXPECT_THAT(Catalog::Create({Make("a"), Make("")}),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty product id (at position 1)"));
}

TEST(CatalogTest, IllFormedUtf8IdsAreRejectedWithTheBytesEscaped) {
  const std::string bad[] = {
      "ab\xff",            // never valid in UTF-8
      "\xc0\xaf",          // overlong '/'
      "\xe0\x80\xaf",      // overlong '/', three bytes
      "\xed\xa0\x80",      // surrogate U+D800
      "\xf4\x90\x80\x80",  // U+110000, above the last code point
      "x\xe4\xb8",         // truncated sequence
      "\x80",              // lone continuation byte
  };
  for (const std::string& id : bad) {
    auto catalog = Catalog::Create({Make("ok"), Make(id)});
    EXPECT_THAT(catalog, StatusIs(absl::StatusCode::kInvalidArgument, "is not valid UTF-8"));
    EXPECT_THAT(std::string(catalog.status().message()), HasSubstr("\\x")) << id;
  }
  EXPECT_THAT(Catalog::Create({Make("ab\xff")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "product id \"ab\\xff\" is not valid UTF-8 (at position 0)"));
}

TEST(CatalogTest, WellFormedUtf8IdsAreAccepted) {
  // Two-, three- and four-byte forms, including the boundaries of Table 3-7.
  auto catalog = Catalog::Create({Make("\xc2\x80"), Make("\xef\xbf\xbf"), Make("\xf0\x9f\x98\x80"),
                                  Make("\xf4\x8f\xbf\xbf"), Make("\xed\x9f\xbf")});
  ASSERT_OK(catalog);
  EXPECT_EQ((*catalog)->Find("\xf0\x9f\x98\x80"), DocId(2));
}

TEST(CatalogTest, ProductsBreakingTheInvariantsAreRejectedNamingIdAndField) {
  struct Case {
    void (*change)(Product&);
    std::string message;
  };
  const Case cases[] = {
      {[](Product& p) { p.price = std::nan(""); }, "product \"x\": price nan is not a finite"},
      {[](Product& p) { p.price = -1; }, "product \"x\": price -1 is not a finite number >= 0"},
      {[](Product& p) { p.price = HUGE_VAL; }, "product \"x\": price inf"},
      {[](Product& p) { p.created_unix_s = -5; }, "product \"x\": created -5 is not unix"},
      {[](Product& p) {
         p.attributes = {{"", "v"}};
       },
       "attribute 1 has an empty name"},
      {[](Product& p) {
         p.attributes = {{"a", "1"}, {"a", "2"}};
       },
       "product \"x\": attribute name \"a\" appears twice"},
      {[](Product& p) {
         p.category_path = {"A", ""};
       },
       "category level 2 is empty"},
      {[](Product& p) { p.category_path = {" A"}; }, "category level \" A\" has blanks around it"},
      {[](Product& p) { p.title = "bad \xff"; }, "product \"x\": title is not valid UTF-8"},
      {[](Product& p) {
         p.attributes = {{"k", "\xc3"}};
       },
       "attribute value is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    Product product = Make("x", "Title");
    c.change(product);
    EXPECT_THAT(ValidateProduct(product), StatusIs(absl::StatusCode::kInvalidArgument, c.message))
        << c.message;
    EXPECT_THAT(Catalog::Create({Make("ok"), product}),
                StatusIs(absl::StatusCode::kInvalidArgument, c.message));
    EXPECT_THAT(Catalog::Create({Make("ok"), product}),
                StatusIs(absl::StatusCode::kInvalidArgument, "(at position 1)"));
  }
  Product fine = Make("x", "Title");
  fine.price = 0.0;
  fine.category_path = {"Tools", "Saws > Blades"};
  fine.attributes = {{"a", ""}, {"b", "1"}};
  EXPECT_OK(ValidateProduct(fine));
}

TEST(CatalogTest, InStockTreatsUnknownStockAsInStock) {
  Product product = Make("a");
  EXPECT_TRUE(product.InStock());
  product.stock = 0;
  EXPECT_FALSE(product.InStock());
  product.stock = -2;
  EXPECT_FALSE(product.InStock());
  product.stock = 3;
  EXPECT_TRUE(product.InStock());
}

TEST(CatalogDeathTest, ProductOutOfRangeIsABug) {
  auto catalog = Catalog::Create({Make("a")});
  ASSERT_OK(catalog);
  EXPECT_DEATH((*catalog)->product(DocId(1)), "doc.value\\(\\) < products_.size\\(\\)");
}

}  // namespace
}  // namespace souk::catalog
