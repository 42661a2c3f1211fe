#include "souk/train/corpus.h"

#include <string>
#include <vector>

#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::SharedDataPath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kBom[] = "\xEF\xBB\xBF";

TEST(CorpusTest, CatalogGivesTitleAndNonEmptyDescriptionPerProduct) {
  TempDir dir;
  CorpusOptions options;
  options.catalogs = {dir.WriteFile(
      "catalog.jsonl",
      "{\"id\":\"p1\",\"title\":\"Cordless Drill\",\"description\":\"  18V, two batteries. \"}\n"
      "{\"id\":\"p2\",\"title\":\"绿茶 250g\"}\n")};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("Cordless Drill", "18V, two batteries.", "绿茶 250g"));
  EXPECT_EQ(stats.catalog_lines, 3u);
  EXPECT_EQ(stats.review_lines, 0u);
}

TEST(CorpusTest, ReadsHomeDepotStyleTsvCatalog) {
  TempDir dir;
  CorpusOptions options;
  options.catalogs = {dir.WriteFile(
      "products.tsv", "product_uid\ttitle\tdescription\n100001\tDeck Screws\tCoated\n")};
  auto lines = ReadCorpus(options);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("Deck Screws", "Coated"));
}

// The layout of online_shopping_10_cats.csv with every RFC 4180 case the parser must handle.
std::string ReviewCsv() {
  return std::string(kBom) + "cat,label,review\r\n" + "书籍,1," + kBom +
         "做父母一定要有刘墉这样的心态\r\n" + "酒店,1,房间很干净\n" + "衣服,1,\"" + kBom +
         "质量好,做工也不错\"\n" + "手机,0,\"屏幕 \"\"很亮\"\"\n第二行\"\n" + "水果,0,   \n" +
         "\n" + kBom + "平板,1,很不错\n";
}

TEST(CorpusTest, ReadsReviewCsvWithQuotingAndSkipsHotels) {
  TempDir dir;
  CorpusOptions options;
  options.reviews = {dir.WriteFile("reviews.csv", ReviewCsv())};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("做父母一定要有刘墉这样的心态", "质量好,做工也不错",
                                  "屏幕 \"很亮\" 第二行", "很不错"));
  EXPECT_EQ(stats.review_lines, 4u);
}

TEST(CorpusTest, CsvErrorsNameFileAndLine) {
  TempDir dir;
  CorpusOptions options;
  options.reviews = {dir.WriteFile("bad.csv", "cat,label,review\n书籍,1,好\n书籍,1\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "bad.csv:3: expected 3 fields"));

  options.reviews = {dir.WriteFile("open.csv", "cat,label,review\n书籍,1,\"好\n\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "open.csv:2: quoted field"));

  options.reviews = {dir.WriteFile("after.csv", "cat,label,review\n书籍,1,\"a\n b\"x\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "after.csv:3: expected ','"));

  options.reviews = {dir.WriteFile("header.csv", "a,b,c\n书籍,1,好\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "header.csv:1: expected the header"));
}

TEST(CorpusTest, ReadsReviewTextsFromDemoShopEvents) {
  TempDir dir;
  CorpusOptions options;
  options.reviews = {dir.WriteFile(
      "events.jsonl",
      "{\"type\":\"search\",\"request_id\":\"r1\",\"query\":\"drill\"}\n"
      "{\"type\":\"review\",\"product_id\":\"p1\",\"rating\":5,\"text\":\"Works great.\"}\n"
      "\n"
      "{\"type\":\"review\",\"product_id\":\"p2\",\"rating\":1,\"text\":\"积木质量太差了\"}\n")};
  auto lines = ReadCorpus(options);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("Works great.", "积木质量太差了"));

  options.reviews = {
      dir.WriteFile("broken.jsonl", "{\"type\":\"review\",\"text\":\"a\"}\n{oops\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "broken.jsonl:2: not a JSON object"));
}

TEST(CorpusTest, TextFilesAreTrimmedAndCutAtCharacterBoundary) {
  TempDir dir;
  CorpusOptions options;
  options.max_line_bytes = 7;  // "电钻" is 6 bytes; the 7th would split "好"
  options.text_files = {dir.WriteFile("text.txt", "  hello  \r\n\n\t\n电钻好用\nabcdefghij")};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("hello", "电钻", "abcdefg"));
  EXPECT_EQ(stats.text_lines, 3u);
}

TEST(CorpusTest, KeepsSourceOrderCatalogsReviewsText) {
  TempDir dir;
  CorpusOptions options;
  options.text_files = {dir.WriteFile("a.txt", "text one\n"), dir.WriteFile("b.txt", "text two\n")};
  options.reviews = {dir.WriteFile("r.csv", "cat,label,review\n书籍,1,review\n")};
  options.catalogs = {dir.WriteFile("c.jsonl", "{\"id\":\"p1\",\"title\":\"title\"}\n")};
  auto lines = ReadCorpus(options);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("title", "review", "text one", "text two"));
}

TEST(CorpusTest, RejectsUnknownReviewFormatMissingFilesAndEmptyCorpus) {
  TempDir dir;
  CorpusOptions options;
  options.reviews = {dir.WriteFile("reviews.txt", "nice\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "reviews.txt: expected .csv"));

  options.reviews = {};
  options.text_files = {dir.File("missing.txt")};
  EXPECT_THAT(ReadCorpus(options), StatusIs(absl::StatusCode::kNotFound, "missing.txt"));

  options.text_files = {dir.WriteFile("blank.txt", " \n\n")};
  EXPECT_THAT(ReadCorpus(options), StatusIs(absl::StatusCode::kFailedPrecondition, "empty corpus"));
  EXPECT_THAT(ReadCorpus(options).status().message(), HasSubstr("blank.txt"));
  EXPECT_THAT(ReadCorpus(CorpusOptions{}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "empty corpus"));
}

TEST(CorpusTest, RejectsInvalidUtf8InTextFiles) {
  TempDir dir;
  CorpusOptions options;
  options.text_files = {dir.WriteFile("bad.txt", "ok\nbad \xC3\x28\n")};
  EXPECT_THAT(ReadCorpus(options), StatusIs(absl::StatusCode::kInvalidArgument, "bad.txt:2:"));
}

TEST(CorpusTest, ReadsTheOnlineShoppingReviews) {
  const std::optional<std::string> path =
      SharedDataPath("online-shopping-zh/online_shopping_10_cats.csv");
  if (!path.has_value()) GTEST_SKIP() << "shared data not present";
  CorpusOptions options;
  options.reviews = {*path};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  // 62774 rows, 10000 of them hotel reviews, one product review blank.
  EXPECT_EQ(lines->size(), 52773u);
  EXPECT_EQ(stats.review_lines, lines->size());
  for (const std::string& line : *lines) {
    ASSERT_EQ(line.find("\xEF\xBB\xBF"), std::string::npos) << line;
    ASSERT_FALSE(line.empty());
  }
}

}  // namespace
}  // namespace souk::train
