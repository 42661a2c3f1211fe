#include <chrono>

#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "support/test_support.h"

namespace souk::catalog {
namespace {

using ::souk::testing::SharedDataPath;
using ::souk::testing::SourcePath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

absl::StatusOr<std::vector<Product>> ReadTsv(const TempDir& dir, const std::string& contents,
                                             const ReadOptions& options = {},
                                             ReadReport* report = nullptr) {
  return ReadProductsTsv(dir.WriteFile("c.tsv", contents), options, report);
}

TEST(ProductReaderTsvTest, ReadsTheFixtureWithUnknownColumnsAsAttributes) {
  auto products = ReadProducts(SourcePath("tests/fixtures/catalog/products.tsv"), {});
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 2u);
  const Product& angle = (*products)[0];
  EXPECT_EQ(angle.id, "100001");  // the first column is the id, here named product_uid
  EXPECT_EQ(angle.title, "Simpson Strong-Tie 12-Gauge Angle");
  EXPECT_EQ(angle.brand, "Simpson");  // header "Brand": names match case-insensitively
  EXPECT_EQ(angle.price, 5.98);
  EXPECT_TRUE(angle.attributes.empty());  // an empty cell adds no attribute
  const Product& deck = (*products)[1];
  EXPECT_EQ(deck.price, std::nullopt);  // an empty price is unknown
  EXPECT_THAT(deck.attributes, ElementsAre(Attribute{"color", "Tugboat"}));
}

TEST(ProductReaderTsvTest, FillsEveryKnownColumn) {
  TempDir dir;
  auto products = ReadTsv(
      dir,
      "SKU\tTITLE\tDescription\tbrand\tCategory\tprice\tStock\tcreated\tSize\n"
      "k1\tChef knife\tSharp.\tKuma\tHome > Kitchen>Knives\t 39.5 \t-2\t1700000000\t8 in.\n");
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 1u);
  Product expected;
  expected.id = "k1";
  expected.title = "Chef knife";
  expected.description = "Sharp.";
  expected.brand = "Kuma";
  expected.category_path = {"Home", "Kitchen", "Knives"};
  expected.price = 39.5;
  expected.stock = -2;
  expected.created_unix_s = 1700000000;
  expected.attributes = {{"Size", "8 in."}};
  EXPECT_EQ((*products)[0], expected);
}

TEST(ProductReaderTsvTest, ToleratesBomCrlfAndBlankLines) {
  TempDir dir;
  auto products = ReadTsv(dir, "\xEF\xBB\xBFid\ttitle\r\na\tA\r\n\r\nb\t\"B\"\r\n");
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 2u);
  EXPECT_EQ((*products)[0].id, "a");         // not "\xEF\xBB\xBF" + "a"
  EXPECT_EQ((*products)[0].title, "A");      // no trailing '\r'
  EXPECT_EQ((*products)[1].title, "\"B\"");  // quotes are plain characters
}

TEST(ProductReaderTsvTest, MalformedRowsNameFileLineAndProblem) {
  TempDir dir;
  const std::string path = dir.File("c.tsv");
  const std::string header = "id\ttitle\tprice\tstock\tcreated\tcategory\n";
  struct Case {
    std::string row;
    std::string message;
  };
  const Case cases[] = {
      {"a\tA\t1", "expected 6 tab-separated columns, got 3"},
      {"a\tA\t1\t2\t3\tX\textra", "expected 6 tab-separated columns, got 7"},
      {"\tA\t1\t2\t3\tX", "empty product id"},
      {"a\tA\t1,99\t2\t3\tX", "price \"1,99\" is not a number >= 0"},
      {"a\tA\tnan\t2\t3\tX", "price \"nan\" is not a number >= 0"},
      {"a\tA\t1\t2.5\t3\tX", "stock \"2.5\" is not an integer"},
      {"a\tA\t1\t2\t-3\tX", "created \"-3\" is not unix seconds"},
      {"a\tA\t1\t2\t3\tX >", "category \"X >\" has an empty level"},
      {"a\tbad \xC3\tt1\t2\t3\tX", "column \"title\" is not valid UTF-8: \"bad \\xc3\""},
      {"first\tA\t1\t2\t3\tX", "duplicate product id \"first\" (first on line 2)"},
  };
  for (const Case& c : cases) {
    auto products = ReadTsv(dir, header + "first\tF\t\t\t\t\n" + c.row + "\n");
    EXPECT_THAT(products, StatusIs(kInvalid, path + ":3: " + c.message)) << c.row;
  }
}

TEST(ProductReaderTsvTest, BadHeadersFailEvenWhenSkippingMalformedLines) {
  TempDir dir;
  ReadOptions skip;
  skip.skip_malformed = true;
  EXPECT_THAT(ReadTsv(dir, "id\ttitle\tTitle\n", skip),
              StatusIs(kInvalid, "c.tsv:1: column name \"Title\" appears twice"));
  EXPECT_THAT(ReadTsv(dir, "id\t\tprice\n", skip),
              StatusIs(kInvalid, "c.tsv:1: column 2 has an empty name"));
  EXPECT_THAT(ReadTsv(dir, "\na\tb\n", skip), StatusIs(kInvalid, "c.tsv:1: empty header line"));
  EXPECT_THAT(ReadTsv(dir, "", skip), StatusIs(kInvalid, "c.tsv: empty file"));
}

TEST(ProductReaderTsvTest, AHeaderNamingNoKnownColumnIsTakenForAMissingHeader) {
  // Before the fix the first product became the header and every later cell an attribute
  // named after the first product's title.
  TempDir dir;
  EXPECT_THAT(ReadTsv(dir, "100001\tSimpson Angle\t5.98\n100002\tDeck Over\t\n"),
              StatusIs(kInvalid,
                       "c.tsv:1: header names no known column (title, description, brand, "
                       "category, price, stock, created); is the header line missing?"));
  EXPECT_THAT(ReadTsv(dir, "id\tColor\n"), StatusIs(kInvalid, "is the header line missing?"));
  // The first column is the id whatever its name, so "title" there does not count.
  EXPECT_THAT(ReadTsv(dir, "title\tsize\n"), StatusIs(kInvalid, "header names no known column"));
  EXPECT_OK(ReadTsv(dir, "sku\tColor\tPRICE\n"));
}

TEST(ProductReaderTsvTest, HeaderOnlyIsAnEmptyCatalog) {
  TempDir dir;
  auto products = ReadTsv(dir, "id\ttitle\n");
  ASSERT_OK(products);
  EXPECT_TRUE(products->empty());
}

TEST(ProductReaderTsvTest, SkipMalformedSkipsAndCounts) {
  TempDir dir;
  ReadOptions options;
  options.skip_malformed = true;
  ReadReport report;
  auto products =
      ReadTsv(dir, "id\tprice\na\t1\nb\tx\n\t2\nc\t3\td\nc\t4\na\t5\n", options, &report);
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), 2u);
  EXPECT_EQ((*products)[0].id, "a");
  // Line 6 is kept: "c" on line 5 was skipped, so it is not a duplicate.
  EXPECT_EQ((*products)[1].id, "c");
  EXPECT_EQ((*products)[1].price, 4.0);
  EXPECT_EQ(report.products, 2u);
  EXPECT_EQ(report.skipped, 4u);
  ASSERT_EQ(report.errors.size(), 4u);
  EXPECT_THAT(report.errors[0], HasSubstr("c.tsv:3: price \"x\""));
  EXPECT_THAT(report.errors[1], HasSubstr("c.tsv:4: empty product id"));
  EXPECT_THAT(report.errors[2], HasSubstr("c.tsv:5: expected 2 tab-separated columns, got 3"));
  EXPECT_THAT(report.errors[3], HasSubstr("c.tsv:7: duplicate product id \"a\" (first on line 2)"));
}

// The real Home Depot catalog must load as it is shipped (header "product_uid<TAB>title").
TEST(ProductReaderTsvTest, LoadsTheHomeDepotCatalog) {
  const std::optional<std::string> path = SharedDataPath("homedepot/products.tsv");
  if (!path.has_value()) GTEST_SKIP() << "shared data not present";
  const auto start = std::chrono::steady_clock::now();
  ReadReport report;
  auto products = ReadProducts(*path, {}, &report);
  ASSERT_OK(products);
  auto catalog = Catalog::Create(std::move(*products));
  ASSERT_OK(catalog);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  RecordProperty("load_ms", static_cast<int>(ms));
  std::cout << "[ info     ] read and indexed " << (*catalog)->size() << " products in " << ms
            << " ms\n";
  EXPECT_EQ((*catalog)->size(), 54667u);
  EXPECT_EQ(report.skipped, 0u);
  const std::optional<DocId> doc = (*catalog)->Find("100001");
  ASSERT_TRUE(doc.has_value());
  const Product& angle = (*catalog)->product(*doc);
  EXPECT_EQ(angle.title, "Simpson Strong-Tie 12-Gauge Angle");
  EXPECT_TRUE(angle.attributes.empty());
  EXPECT_EQ(angle.price, std::nullopt);
}

}  // namespace
}  // namespace souk::catalog
