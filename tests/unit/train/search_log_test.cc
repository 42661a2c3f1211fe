#include "souk/train/search_log.h"

#include <string>

#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Search(const std::string& request, const std::string& query) {
  return "{\"type\":\"search\",\"request_id\":\"" + request + "\",\"query\":\"" + query + "\"}\n";
}

std::string Page(const std::string& request, const std::string& ids) {
  return "{\"type\":\"impression\",\"request_id\":\"" + request + "\",\"product_ids\":[" + ids +
         "]}\n";
}

std::string Act(const std::string& type, const std::string& request, const std::string& product,
                const std::string& position_key = "") {
  return "{\"type\":\"" + type + "\",\"request_id\":\"" + request + "\",\"product_id\":\"" +
         product + "\"" + position_key + "}\n";
}

MATCHER_P3(Outcome, product, position, grade, "") {
  return arg.product == product && arg.position == position && arg.grade == grade;
}

TEST(ReadSearchLogTest, ReadsPagesAndEachProductsBestOutcome) {
  TempDir dir;
  const std::string path = dir.WriteFile(
      "events.jsonl", Search("r1", " Cordless  DRILL") + Page("r1", "\"p1\",\"p2\",\"p3\"") +
                          Act("click", "r1", "p2", ",\"position\":2") +
                          Act("add_to_cart", "r1", "p2") + Act("click", "r1", "p9") +
                          Search("r2", "   ") + Act("click", "r2", "p1") + Search("r3", "hose") +
                          Act("purchase", "r3", "p4", ",\"position\":7") +
                          Act("click", "r404", "p1"));
  auto searches = ReadSearchLog(path);
  ASSERT_OK(searches);
  ASSERT_EQ(searches->size(), 2u);  // r2's blank query is left out
  const LoggedSearch& drill = (*searches)[0];
  EXPECT_EQ(drill.request_id, "r1");
  EXPECT_EQ(drill.query, "cordless drill");
  EXPECT_THAT(drill.shown, ElementsAre("p1", "p2", "p3"));
  // The cart line has no position: it keeps the click's; p9 was not on the page.
  EXPECT_THAT(drill.outcomes, ElementsAre(Outcome("p2", 2, 2), Outcome("p9", 0, 1)));
  const LoggedSearch& hose = (*searches)[1];
  EXPECT_THAT(hose.shown, IsEmpty());
  EXPECT_THAT(hose.outcomes, ElementsAre(Outcome("p4", 7, 3)));
}

TEST(ReadSearchLogTest, APositionMissingFromTheEventComesFromThePage) {
  TempDir dir;
  const std::string path =
      dir.WriteFile("events.jsonl",
                    Search("r1", "drill") + Page("r1", "\"p1\",\"p2\"") + Act("click", "r1", "p2"));
  auto searches = ReadSearchLog(path);
  ASSERT_OK(searches);
  EXPECT_THAT((*searches)[0].outcomes, ElementsAre(Outcome("p2", 2, 1)));
}

TEST(ReadSearchLogTest, ASearchKeepsItsShopperSessionAndTime) {
  TempDir dir;
  const std::string path = dir.WriteFile(
      "events.jsonl",
      "{\"type\":\"search\",\"request_id\":\"r1\",\"query\":\"drill\",\"user_id\":\"u7\","
      "\"session_id\":\"s3\",\"ts\":1700000000}\n" +
          Search("r2", "hose"));
  auto searches = ReadSearchLog(path);
  ASSERT_OK(searches);
  ASSERT_EQ(searches->size(), 2u);
  EXPECT_EQ((*searches)[0].user_id, "u7");
  EXPECT_EQ((*searches)[0].session_id, "s3");
  EXPECT_EQ((*searches)[0].ts, 1700000000);
  // All three are optional.
  EXPECT_EQ((*searches)[1].user_id, "");
  EXPECT_EQ((*searches)[1].session_id, "");
  EXPECT_EQ((*searches)[1].ts, 0);
}

TEST(ReadSearchLogTest, BadEventsAreNamedWithFileAndLine) {
  TempDir dir;
  const std::string bad_page = dir.WriteFile("a.jsonl", Search("r1", "x") + Page("r1", "\"p1\",3"));
  EXPECT_THAT(ReadSearchLog(bad_page),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "a.jsonl:2: expected an array of strings \"product_ids\""));
  const std::string bad_position =
      dir.WriteFile("b.jsonl", Search("r1", "x") + Act("click", "r1", "p1", ",\"position\":0"));
  EXPECT_THAT(ReadSearchLog(bad_position),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "b.jsonl:2: \"position\" must be an integer 1..1000000"));
  const std::string no_query =
      dir.WriteFile("c.jsonl", "{\"type\":\"search\",\"request_id\":\"r\"}");
  EXPECT_THAT(ReadSearchLog(no_query), StatusIs(absl::StatusCode::kInvalidArgument,
                                                "c.jsonl:1: expected a string \"query\""));
  const std::string bad_user = dir.WriteFile(
      "d.jsonl", "{\"type\":\"search\",\"request_id\":\"r\",\"query\":\"q\",\"user_id\":7}");
  EXPECT_THAT(ReadSearchLog(bad_user), StatusIs(absl::StatusCode::kInvalidArgument,
                                                "d.jsonl:1: expected a string \"user_id\""));
  const std::string bad_ts = dir.WriteFile(
      "e.jsonl", "{\"type\":\"search\",\"request_id\":\"r\",\"query\":\"q\",\"ts\":\"now\"}");
  EXPECT_THAT(ReadSearchLog(bad_ts),
              StatusIs(absl::StatusCode::kInvalidArgument, "e.jsonl:1: \"ts\" must be an integer"));
}

}  // namespace
}  // namespace souk::train
