#include "souk/train/corpus.h"

#include <string>
#include <vector>

#include "souk/base/str_cat.h"
#include "souk/train/labeled_reviews.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::SharedDataPath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

// The corpus reads reviews as labeled_reviews.h does (its tests cover the formats) and keeps the
// training side of the sentiment split only.
TEST(CorpusTest, ReviewsLeaveTheHeldOutSplitOut) {
  TempDir dir;
  std::string csv = "cat,label,review\n";
  std::string events;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    const std::string text = StrCat("第", i, "条评论 review ", i);
    csv += StrCat("书籍,", i % 2, ",", text, "\n");
    if (!IsHeldOutReview(text)) expected.push_back(text);
  }
  for (int i = 0; i < 40; ++i) {
    const std::string text = StrCat("event review ", i);
    events += StrCat("{\"type\":\"review\",\"product_id\":\"p1\",\"rating\":", 1 + i % 5,
                     ",\"text\":\"", text, "\"}\n");
    if (!IsHeldOutReview(text)) expected.push_back(text);
  }
  ASSERT_GT(expected.size(), 40u);  // both files give some, and some are held out
  ASSERT_LT(expected.size(), 80u);
  CorpusOptions options;
  options.reviews = {dir.WriteFile("reviews.csv", csv), dir.WriteFile("events.jsonl", events)};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  EXPECT_EQ(*lines, expected);
  EXPECT_EQ(stats.review_lines, expected.size());

  options.reviews = {dir.WriteFile("bad.csv", "cat,label,review\n书籍,1,好\n书籍,1\n")};
  EXPECT_THAT(ReadCorpus(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "bad.csv:3: expected 3 fields"));
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
  std::string review = "review 0";
  for (int i = 1; IsHeldOutReview(review); ++i) review = StrCat("review ", i);
  options.reviews = {dir.WriteFile("r.csv", StrCat("cat,label,review\n书籍,1,", review, "\n"))};
  options.catalogs = {dir.WriteFile("c.jsonl", "{\"id\":\"p1\",\"title\":\"title\"}\n")};
  auto lines = ReadCorpus(options);
  ASSERT_OK(lines);
  EXPECT_THAT(*lines, ElementsAre("title", review, "text one", "text two"));
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

TEST(CorpusTest, ReadsTheTrainingSideOfTheOnlineShoppingReviews) {
  const std::optional<std::string> path =
      SharedDataPath("online-shopping-zh/online_shopping_10_cats.csv");
  if (!path.has_value()) GTEST_SKIP() << "shared data not present";
  CorpusOptions options;
  options.reviews = {*path};
  CorpusStats stats;
  auto lines = ReadCorpus(options, &stats);
  ASSERT_OK(lines);
  auto reviews = ReadLabeledReviews(*path);
  ASSERT_OK(reviews);
  size_t training = 0;
  for (const LabeledReview& review : *reviews) training += IsHeldOutReview(review.text) ? 0 : 1;
  EXPECT_EQ(lines->size(), training);
  EXPECT_EQ(stats.review_lines, lines->size());
  for (const std::string& line : *lines) {
    ASSERT_EQ(line.find("\xEF\xBB\xBF"), std::string::npos) << line;
    ASSERT_FALSE(line.empty());
  }
}

}  // namespace
}  // namespace souk::train
