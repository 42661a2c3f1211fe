#include "souk/train/labeled_reviews.h"

#include <map>
#include <string>
#include <vector>

#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::SharedDataPath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::FieldsAre;

constexpr char kBom[] = "\xEF\xBB\xBF";

// The layout of online_shopping_10_cats.csv with every RFC 4180 case the parser must handle.
std::string ReviewCsv() {
  return std::string(kBom) + "cat,label,review\r\n" + "书籍,1," + kBom +
         "做父母一定要有刘墉这样的心态\r\n" + "酒店,1,房间很干净\n" + "衣服,1,\"" + kBom +
         "质量好,做工也不错\"\n" + "手机,0,\"屏幕 \"\"很亮\"\"\n第二行\"\n" + "水果,0,   \n" +
         "\n" + kBom + "平板,1,很不错\n";
}

TEST(LabeledReviewsTest, ReadsCsvWithQuotingLabelsAndCategoriesSkippingHotelsAndBlanks) {
  TempDir dir;
  auto reviews = ReadLabeledReviews(dir.WriteFile("reviews.csv", ReviewCsv()));
  ASSERT_OK(reviews);
  EXPECT_THAT(*reviews, ElementsAre(FieldsAre("书籍", 1, "做父母一定要有刘墉这样的心态"),
                                    FieldsAre("衣服", 1, "质量好,做工也不错"),
                                    FieldsAre("手机", 0, "屏幕 \"很亮\"\n第二行"),
                                    FieldsAre("平板", 1, "很不错")));
}

TEST(LabeledReviewsTest, CsvErrorsNameFileAndLine) {
  TempDir dir;
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("bad.csv", "cat,label,review\n书籍,1,好\n书籍,1\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "bad.csv:3: expected 3 fields"));
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("open.csv", "cat,label,review\n书籍,1,\"好\n\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "open.csv:2: quoted field"));
  EXPECT_THAT(
      ReadLabeledReviews(dir.WriteFile("after.csv", "cat,label,review\n书籍,1,\"a\n b\"x\n")),
      StatusIs(absl::StatusCode::kInvalidArgument, "after.csv:3: expected ','"));
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("header.csv", "a,b,c\n书籍,1,好\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "header.csv:1: expected the header"));
  EXPECT_THAT(
      ReadLabeledReviews(dir.WriteFile("label.csv", "cat,label,review\n书籍,2,好\n")),
      StatusIs(absl::StatusCode::kInvalidArgument, "label.csv:2: label must be 0 or 1, got \"2\""));
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("utf8.csv", "cat,label,review\n书籍,1,\xC3\x28\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "utf8.csv:2: text is not valid UTF-8"));
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("reviews.txt", "nice\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "reviews.txt: expected .csv"));
  EXPECT_THAT(ReadLabeledReviews(dir.File("missing.csv")),
              StatusIs(absl::StatusCode::kNotFound, "missing.csv"));
}

std::string ReviewEvent(int rating, const std::string& text) {
  return StrCat("{\"type\":\"review\",\"product_id\":\"p1\",\"rating\":", rating, ",\"text\":\"",
                text, "\"}\n");
}

TEST(LabeledReviewsTest, DemoEventsAreLabeledByStars) {
  TempDir dir;
  const std::string events = "{\"type\":\"search\",\"request_id\":\"r1\",\"query\":\"drill\"}\n" +
                             ReviewEvent(5, "Works great.") + "\n" + ReviewEvent(4, "不错") +
                             ReviewEvent(3, "还行") + ReviewEvent(2, "一般") +
                             ReviewEvent(1, "积木质量太差了") + ReviewEvent(5, " ");
  auto reviews = ReadLabeledReviews(dir.WriteFile("events.jsonl", events));
  ASSERT_OK(reviews);
  EXPECT_THAT(*reviews, ElementsAre(FieldsAre("", 1, "Works great."), FieldsAre("", 1, "不错"),
                                    FieldsAre("", kUnlabeled, "还行"), FieldsAre("", 0, "一般"),
                                    FieldsAre("", 0, "积木质量太差了")));
}

TEST(LabeledReviewsTest, DemoEventErrorsNameFileAndLine) {
  TempDir dir;
  EXPECT_THAT(ReadLabeledReviews(dir.WriteFile("broken.jsonl", ReviewEvent(5, "a") + "{oops\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "broken.jsonl:2: not a JSON object"));
  EXPECT_THAT(
      ReadLabeledReviews(dir.WriteFile("notext.jsonl", "{\"type\":\"review\",\"rating\":5}\n")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "notext.jsonl:1: review event without a string"));
  EXPECT_THAT(
      ReadLabeledReviews(dir.WriteFile("stars.jsonl", ReviewEvent(6, "a"))),
      StatusIs(absl::StatusCode::kInvalidArgument, "stars.jsonl:1: review event without a"));
}

TEST(LabeledReviewsTest, TheHeldOutSplitIsAFifthDecidedByTheTextAlone) {
  int held_out = 0;
  constexpr int kTexts = 20000;
  for (int i = 0; i < kTexts; ++i) {
    const std::string text = StrCat("review number ", i);
    const bool side = IsHeldOutReview(text);
    ASSERT_EQ(IsHeldOutReview(std::string(text)), side);  // the same text, the same side
    held_out += side ? 1 : 0;
  }
  // Binomial(20000, 0.2): the standard deviation is 57 texts, 0.0028 of the fraction.
  EXPECT_THAT(static_cast<double>(held_out) / kTexts, DoubleNear(0.2, 0.012));
}

TEST(LabeledReviewsTest, ReadsTheOnlineShoppingReviews) {
  const std::optional<std::string> path =
      SharedDataPath("online-shopping-zh/online_shopping_10_cats.csv");
  if (!path.has_value()) GTEST_SKIP() << "shared data not present";
  auto reviews = ReadLabeledReviews(*path);
  ASSERT_OK(reviews);
  // 62,774 rows, 10,000 of them hotel reviews, one product review blank.
  EXPECT_EQ(reviews->size(), 52773u);
  std::map<std::string, int> per_category;
  size_t positive = 0, held_out = 0;
  for (const LabeledReview& review : *reviews) {
    ++per_category[review.category];
    positive += review.label == 1 ? 1 : 0;
    held_out += IsHeldOutReview(review.text) ? 1 : 0;
    ASSERT_EQ(review.text.find(kBom), std::string::npos) << review.text;
  }
  EXPECT_EQ(per_category.size(), 9u);
  EXPECT_EQ(per_category["热水器"], 574);  // its 575th review is the blank one
  EXPECT_EQ(positive, 26727u);
  EXPECT_THAT(static_cast<double>(held_out) / reviews->size(), DoubleNear(0.2, 0.01));
}

}  // namespace
}  // namespace souk::train
