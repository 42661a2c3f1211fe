#include <cmath>

#include "souk/base/file_util.h"
#include "souk/catalog/product_reader.h"
#include "support/test_support.h"

namespace souk::catalog {
namespace {

using ::souk::testing::SourcePath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

absl::StatusOr<std::vector<Product>> ReadJsonl(const TempDir& dir, const std::string& contents,
                                               const ReadOptions& options = {},
                                               ReadReport* report = nullptr) {
  return ReadProductsJsonl(dir.WriteFile("c.jsonl", contents), options, report);
}

TEST(ProductReaderJsonlTest, ReadsEveryFieldOfTheFixture) {
  ReadReport report;
  auto products = ReadProducts(SourcePath("tests/fixtures/catalog/products.jsonl"), {}, &report);
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 3u);
  EXPECT_EQ(report.products, 3u);
  EXPECT_EQ(report.skipped, 0u);

  const Product& knife = (*products)[0];
  EXPECT_EQ(knife.id, "sku-1");
  EXPECT_EQ(knife.title, "Stainless Steel Chef Knife 8 in.");
  EXPECT_EQ(knife.description, "Forged, full tang.");
  EXPECT_EQ(knife.brand, "Kuma");
  EXPECT_THAT(knife.category_path, ElementsAre("Home", "Kitchen", "Knives"));
  EXPECT_EQ(knife.price, 39.99);
  EXPECT_EQ(knife.stock, 12);
  EXPECT_THAT(knife.attributes,
              ElementsAre(Attribute{"material", "steel"}, Attribute{"length_in", "8"}));
  EXPECT_EQ(knife.created_unix_s, 1700000000);

  const Product& wok = (*products)[1];
  EXPECT_EQ(wok.title, "不锈钢炒锅 32厘米");
  EXPECT_THAT(wok.category_path, ElementsAre("厨房", "锅具"));  // from "厨房 > 锅具"
  EXPECT_EQ(wok.price, 129.0);                                  // from the string "129.00"
  EXPECT_EQ(wok.stock, 0);
  EXPECT_FALSE(wok.InStock());
  EXPECT_EQ(wok.created_unix_s, 0);
  EXPECT_EQ(wok.expansion, "炒菜锅 wok");

  const Product& untracked = (*products)[2];
  EXPECT_EQ(untracked.id, "100003");  // an integer id becomes its decimal text
  EXPECT_EQ(untracked.price, std::nullopt);
  EXPECT_EQ(untracked.stock, std::nullopt);
  EXPECT_TRUE(untracked.description.empty());
  EXPECT_TRUE(untracked.expansion.empty());
}

Product FullProduct() {
  Product p;
  p.id = "商品-7";
  p.title = "Tab\tand \"quotes\" and \\ and\nnewline";
  p.description = "描述";
  p.brand = "Brand";
  p.category_path = {"Tools", "Saws > Blades", "Ø 10"};  // a level may contain '>' in arrays
  p.price = 0.1 + 0.2;                                   // not exactly representable in decimal
  p.stock = -3;
  p.attributes = {{"zeta", "last letter"}, {"alpha", ""}, {"颜色", "红"}};  // not sorted
  p.created_unix_s = 1234567890123;
  p.expansion = "cordless 充电 drill";
  return p;
}

TEST(ProductReaderJsonlTest, WriteThenReadGivesBackTheSameProducts) {
  TempDir dir;
  Product minimal;
  minimal.id = "m";
  Product zero_price = minimal;
  zero_price.id = "z";
  zero_price.price = 0.0;
  zero_price.stock = 0;
  const std::vector<Product> products = {FullProduct(), minimal, zero_price};
  const std::string path = dir.File("round.jsonl");
  ASSERT_OK(WriteProductsJsonl(path, products));
  auto read = ReadProducts(path, {});
  ASSERT_OK(read);
  EXPECT_EQ(*read, products);

  ASSERT_OK(WriteProductsJsonl(dir.File("empty.jsonl"), {}));
  auto empty = ReadProducts(dir.File("empty.jsonl"), {});
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(ProductReaderJsonlTest, WriterRefusesWhatTheReaderWouldRefuseOrChange) {
  // Before the fix these were written, and the file then failed to load or loaded different
  // products (NaN became null, a repeated attribute name lost a value, " A" became "A").
  TempDir dir;
  const std::string path = dir.File("w.jsonl");
  struct Case {
    void (*change)(Product&);
    std::string message;
  };
  const Case cases[] = {
      {[](Product& p) { p.price = std::nan(""); }, "product \"k\": price nan"},
      {[](Product& p) { p.price = -HUGE_VAL; }, "product \"k\": price -inf"},
      {[](Product& p) { p.price = -0.5; }, "product \"k\": price -0.5 is not a finite number"},
      {[](Product& p) { p.created_unix_s = -1; }, "product \"k\": created -1"},
      {[](Product& p) {
         p.attributes = {{"a", "1"}, {"a", "2"}};
       },
       "attribute name \"a\" appears twice"},
      {[](Product& p) {
         p.attributes = {{"", "1"}};
       },
       "attribute 1 has an empty name"},
      {[](Product& p) {
         p.category_path = {"A", ""};
       },
       "category level 2 is empty"},
      {[](Product& p) { p.category_path = {"A "}; }, "has blanks around it"},
      {[](Product& p) { p.id = ""; }, "product at position 1: empty product id"},
      {[](Product& p) { p.expansion = "ok \xff"; }, "product \"k\": expansion is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    Product product;
    product.id = "k";
    c.change(product);
    Product ok;
    ok.id = "ok";
    EXPECT_THAT(WriteProductsJsonl(path, {ok, product}),
                StatusIs(kInvalid, "writing " + path + ": "))
        << c.message;
    EXPECT_THAT(WriteProductsJsonl(path, {ok, product}), StatusIs(kInvalid, c.message));
    EXPECT_FALSE(ReadFileToString(path).ok()) << "nothing is written";
  }
  Product a;
  a.id = "a";
  EXPECT_THAT(WriteProductsJsonl(path, {a, a}),
              StatusIs(kInvalid, "duplicate product id \"a\" at positions 0 and 1"));
}

TEST(ProductReaderJsonlTest, CategoryArrayLevelsFollowTheStringRule) {
  TempDir dir;
  auto products = ReadJsonl(dir, R"({"id":"a","category":[" Home ","\tKitchen"]})");
  ASSERT_OK(products);
  // Before the fix the array form kept the blanks the string form trims.
  EXPECT_THAT((*products)[0].category_path, ElementsAre("Home", "Kitchen"));
  auto from_string = ReadJsonl(dir, R"({"id":"a","category":" Home >\tKitchen"})");
  ASSERT_OK(from_string);
  EXPECT_EQ((*from_string)[0].category_path, (*products)[0].category_path);
}

TEST(ProductReaderJsonlTest, ARepeatedKeyKeepsItsLastValue) {
  // RFC 8259 leaves repeated names open; nlohmann (and so Souk) keeps the last value, at the
  // position of the first.
  TempDir dir;
  auto products = ReadJsonl(
      dir, R"({"id":"a","title":"one","title":"two","attributes":{"x":"1","y":"2","x":"3"}})");
  ASSERT_OK(products);
  EXPECT_EQ((*products)[0].title, "two");
  EXPECT_THAT((*products)[0].attributes, ElementsAre(Attribute{"x", "3"}, Attribute{"y", "2"}));
}

TEST(ProductReaderJsonlTest, ProductToJsonWritesOneCompactLineWithoutDefaults) {
  Product p;
  p.id = "a1";
  p.title = "Fan";
  p.category_path = {"Home", "Fans"};
  p.price = 19.99;
  p.attributes = {{"speed", "3"}};
  EXPECT_EQ(ProductToJson(p),
            R"({"id":"a1","title":"Fan","category":["Home","Fans"],"price":19.99,)"
            R"("attributes":{"speed":"3"}})");
  EXPECT_EQ(ProductToJson(FullProduct()).find('\n'), std::string::npos);
}

TEST(ProductReaderJsonlTest, ProductToJsonReplacesIllFormedUtf8InsteadOfThrowing) {
  Product p;
  p.id = "a";
  p.title = "bad \xff byte";
  EXPECT_EQ(ProductToJson(p), "{\"id\":\"a\",\"title\":\"bad \xef\xbf\xbd byte\"}");
}

TEST(ProductReaderJsonlTest, ToleratesCrlfBomAndBlankLines) {
  TempDir dir;
  auto products = ReadJsonl(dir, "\xEF\xBB\xBF{\"id\":\"a\"}\r\n\r\n  \n{\"id\":\"b\"}");
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 2u);
  EXPECT_EQ((*products)[0].id, "a");
  EXPECT_EQ((*products)[1].id, "b");
}

TEST(ProductReaderJsonlTest, MalformedLinesNameFileLineAndProblem) {
  TempDir dir;
  const std::string path = dir.File("c.jsonl");
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {R"({"id":"a","colour":"red"})", "unknown key \"colour\""},
      {R"({"id":"a",)",
       "invalid JSON at column 11: syntax error while parsing object key - unexpected end of "
       "input; expected string literal"},
      {R"(["a"])", "expected a JSON object"},
      {R"({"title":"no id"})", "missing \"id\""},
      {R"({"id":""})", "empty product id"},
      {R"({"id":1.5})", "\"id\" must be a string or an integer"},
      {R"({"id":"a","title":3})", "\"title\" must be a string"},
      {R"({"id":"a","price":"abc"})", "price \"abc\" is not a number >= 0"},
      {R"({"id":"a","price":-1})", "price \"-1\" is not a number >= 0"},
      {R"({"id":"a","price":true})", "\"price\" must be a number or a numeric string"},
      {R"({"id":"a","stock":1.5})", "\"stock\" must be an integer"},
      {R"({"id":"a","stock":"12x"})", "stock \"12x\" is not an integer"},
      {R"({"id":"a","created":-5})", "created \"-5\" is not unix seconds"},
      {R"({"id":"a","category":"A >  > C"})", "category \"A >  > C\" has an empty level"},
      {R"({"id":"a","category":["A", 2]})", "\"category\" must be an array of non-empty strings"},
      {R"({"id":"a","category":["A", " "]})", R"(category ["A"," "] has an empty level)"},
      {R"({"id":"a","category":[""]})", R"(category [""] has an empty level)"},
      {R"({"id":"a","category":{}})", "\"category\" must be an array of strings or one"},
      {R"({"id":"a","attributes":{"size":[1]}})", "attribute \"size\" must be a string"},
      {R"({"id":"a","attributes":{"":"x"}})", "attribute with an empty name"},
      {R"({"id":"a","attributes":["x"]})", "\"attributes\" must be an object"},
      {"{\"id\":\"a\",\"title\":\"\xff\"}",
       "invalid JSON at column 20: syntax error while parsing value - invalid string: ill-formed "
       R"(UTF-8 byte; last read: "\"\xff")"},
      {"not json",
       "invalid JSON at column 2: syntax error while parsing value - invalid "
       "literal; last read: \"no\""},
      {R"({"id":"a"} x)",
       "invalid JSON at column 12: syntax error while parsing value - invalid "
       R"(literal; last read: "\"a\"} x"; expected end of input)"},
  };
  for (const Case& c : cases) {
    auto products = ReadJsonl(dir, "{\"id\":\"first\"}\n" + c.line + "\n");
    EXPECT_THAT(products, StatusIs(kInvalid, path + ":2: " + c.message)) << c.line;
  }
}

TEST(ProductReaderJsonlTest, DuplicateIdNamesTheLineItFirstAppearedOn) {
  TempDir dir;
  EXPECT_THAT(ReadJsonl(dir, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n\n{\"id\":\"a\"}\n"),
              StatusIs(kInvalid, "c.jsonl:4: duplicate product id \"a\" (first on line 1)"));
}

TEST(ProductReaderJsonlTest, SkipMalformedCountsAndKeepsTheFirstFewMessages) {
  TempDir dir;
  ReadOptions options;
  options.skip_malformed = true;
  options.max_reported_errors = 2;
  ReadReport report;
  auto products =
      ReadJsonl(dir, "{\"id\":\"a\"}\nnot json\n{\"id\":\"a\"}\n{\"x\":1}\n{\"id\":\"b\"}\n",
                options, &report);
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 2u);
  EXPECT_EQ((*products)[1].id, "b");
  EXPECT_EQ(report.products, 2u);
  EXPECT_EQ(report.skipped, 3u);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_THAT(report.errors[0], HasSubstr("c.jsonl:2: invalid JSON"));
  EXPECT_THAT(report.errors[1], HasSubstr("c.jsonl:3: duplicate product id"));
}

TEST(ProductReaderJsonlTest, ReportDescribesAFailedRead) {
  TempDir dir;
  ReadReport report;
  report.skipped = 99;  // stale values from an earlier read are cleared
  EXPECT_FALSE(ReadJsonl(dir, "{\"id\":\"a\"}\n{\"id\":7.5}\n", {}, &report).ok());
  EXPECT_EQ(report.products, 1u);
  EXPECT_EQ(report.skipped, 0u);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_THAT(report.errors[0], HasSubstr("c.jsonl:2: "));
}

TEST(ProductReaderJsonlTest, FormatFollowsTheExtension) {
  TempDir dir;
  const std::string line = "{\"id\":\"a\"}\n";
  EXPECT_OK(ReadProducts(dir.WriteFile("c.NDJSON", line), {}));
  EXPECT_OK(ReadProducts(dir.WriteFile("c.json", line), {}));
  EXPECT_THAT(ReadProducts(dir.WriteFile("c.csv", line), {}),
              StatusIs(kInvalid, "expected .jsonl, .json, .ndjson or .tsv"));
  EXPECT_THAT(ReadProducts(dir.WriteFile("v1.0/catalog", line), {}),
              StatusIs(kInvalid, "cannot tell the catalog format"));
  EXPECT_THAT(ReadProducts(dir.File("missing.jsonl"), {}),
              StatusIs(absl::StatusCode::kNotFound, "missing.jsonl"));
}

}  // namespace
}  // namespace souk::catalog
