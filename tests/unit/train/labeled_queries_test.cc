#include "souk/train/labeled_queries.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "souk/base/check.h"
#include "souk/base/file_util.h"
#include "souk/base/text_lines.h"
#include "souk/eval/demo_shop.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string Search(const std::string& request, const std::string& query) {
  return "{\"type\":\"search\",\"request_id\":\"" + request + "\",\"query\":\"" + query + "\"}\n";
}

std::string Act(const std::string& type, const std::string& request, const std::string& product) {
  return "{\"type\":\"" + type + "\",\"request_id\":\"" + request + "\",\"product_id\":\"" +
         product + "\",\"position\":1}\n";
}

TEST(ReadSearchSessionsTest, GroupsByNormalizedTextAndKeepsTheHighestGrade) {
  TempDir dir;
  const std::string path = dir.WriteFile(
      "events.jsonl",
      Search("r1", "no clicks here") + Search("r2", "Cordless  Drill ") + Act("click", "r2", "p1") +
          Act("add_to_cart", "r2", "p1") + Act("click", "r2", "p2") +
          "{\"type\":\"impression\",\"request_id\":\"r2\",\"product_ids\":[\"p1\"]}\n" +
          Search("r3", "绿茶") + Act("purchase", "r3", "p9") + Search("r4", "cordless drill") +
          Act("purchase", "r4", "p1") + Act("click", "r4", "p3") + Act("click", "r9", "p7") +
          "{\"type\":\"review\",\"product_id\":\"p1\",\"rating\":5,\"text\":\"ok\"}\n");
  auto queries = ReadSearchSessions(path);
  ASSERT_OK(queries);
  ASSERT_EQ(queries->size(), 2u);
  EXPECT_EQ((*queries)[0].id, "q1");
  EXPECT_EQ((*queries)[0].text, "cordless drill");
  EXPECT_THAT((*queries)[0].judgments,
              UnorderedElementsAre(Pair("p1", 3.0), Pair("p2", 1.0), Pair("p3", 1.0)));
  EXPECT_EQ((*queries)[1].id, "q2");
  EXPECT_EQ((*queries)[1].text, "绿茶");
  EXPECT_THAT((*queries)[1].judgments, UnorderedElementsAre(Pair("p9", 3.0)));
}

TEST(ReadSearchSessionsTest, ErrorsNameFileAndLine) {
  TempDir dir;
  const std::string bad_json = dir.WriteFile("a.jsonl", Search("r1", "x") + "{nope\n");
  EXPECT_THAT(ReadSearchSessions(bad_json),
              StatusIs(absl::StatusCode::kInvalidArgument, "a.jsonl:2: not a JSON object"));
  const std::string no_product =
      dir.WriteFile("b.jsonl", Search("r1", "x") + "{\"type\":\"click\",\"request_id\":\"r1\"}\n");
  EXPECT_THAT(
      ReadSearchSessions(no_product),
      StatusIs(absl::StatusCode::kInvalidArgument, "b.jsonl:2: expected a string \"product_id\""));
  EXPECT_THAT(ReadSearchSessions(dir.File("missing.jsonl")),
              StatusIs(absl::StatusCode::kNotFound, "missing.jsonl"));
}

// The grouping key the header documents: ASCII lower case, blanks trimmed and collapsed.
std::string Normalized(const std::string& text) {
  std::string out;
  bool blank = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Every purchase of a generated shop shows up with grade 3 under its search's query.
TEST(ReadSearchSessionsTest, DemoShopPurchasesHaveGradeThree) {
  TempDir dir;
  eval::DemoShopOptions options;
  options.num_products = 300;
  options.num_users = 40;
  options.num_sessions = 400;
  ASSERT_OK(eval::GenerateDemoShop(options, dir.path()));
  const std::string events_path = dir.File("events.jsonl");
  auto queries = ReadSearchSessions(events_path);
  ASSERT_OK(queries);
  ASSERT_FALSE(queries->empty());
  std::map<std::string, const eval::JudgedQuery*> by_text;
  for (const eval::JudgedQuery& query : *queries) by_text[query.text] = &query;

  auto contents = ReadFileToString(events_path);
  ASSERT_OK(contents);
  std::map<std::string, std::string> request_text;
  size_t purchases = 0;
  LineCursor cursor(*contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    const nlohmann::json event = nlohmann::json::parse(line);
    const std::string type = event.value("type", "");
    const std::string request = event.value("request_id", "");
    if (type == "search") request_text[request] = Normalized(event["query"].get<std::string>());
    if (type != "purchase") continue;
    ++purchases;
    const auto query = by_text.find(request_text.at(request));
    ASSERT_NE(query, by_text.end());
    const auto grade = query->second->judgments.find(event["product_id"].get<std::string>());
    ASSERT_NE(grade, query->second->judgments.end());
    EXPECT_EQ(grade->second, 3.0);
  }
  EXPECT_GT(purchases, 0u);
}

std::unique_ptr<catalog::Catalog> MakeCatalog(const std::vector<std::string>& ids) {
  std::vector<catalog::Product> products;
  for (const std::string& id : ids) {
    catalog::Product product;
    product.id = id;
    product.title = "title " + id;
    products.push_back(product);
  }
  auto made = catalog::Catalog::Create(std::move(products));
  SOUK_CHECK(made.ok());
  return std::move(made).value();
}

TEST(CheckProductsKnownTest, NamesSourceFirstUnknownAndCount) {
  const auto catalog = MakeCatalog({"p1", "p2"});
  std::vector<eval::JudgedQuery> queries = {{"q1", "drill", {{"p1", 1}}},
                                            {"q2", "saw", {{"p9", 2}, {"p2", 1}, {"p8", 1}}},
                                            {"q3", "tea", {{"p7", 3}}}};
  const absl::Status status = CheckProductsKnown(queries, *catalog, "qrels.tsv");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, "qrels.tsv"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"q2\""));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"p8\""));
  EXPECT_THAT(std::string(status.message()), HasSubstr("3 judgment"));
  queries.resize(1);
  EXPECT_OK(CheckProductsKnown(queries, *catalog, "qrels.tsv"));
}

std::vector<eval::JudgedQuery> ManyQueries(size_t n) {
  std::vector<eval::JudgedQuery> queries;
  for (size_t i = 0; i < n; ++i) {
    queries.push_back({"q" + std::to_string(i + 1), "text", {{"p1", 1}}});
  }
  return queries;
}

std::set<std::string> Ids(const std::vector<eval::JudgedQuery>& queries) {
  std::set<std::string> ids;
  for (const eval::JudgedQuery& query : queries) ids.insert(query.id);
  return ids;
}

TEST(SplitQueriesTest, HoldsOutAboutTheFractionAndKeepsOrder) {
  const std::vector<eval::JudgedQuery> queries = ManyQueries(4000);
  const QuerySplit split = SplitQueries(queries, 0.2, 7);
  EXPECT_EQ(split.train.size() + split.heldout.size(), queries.size());
  EXPECT_NEAR(static_cast<double>(split.heldout.size()) / 4000.0, 0.2, 0.03);
  for (size_t i = 1; i < split.heldout.size(); ++i) {
    EXPECT_LT(std::stoi(split.heldout[i - 1].id.substr(1)),
              std::stoi(split.heldout[i].id.substr(1)));
  }
  EXPECT_TRUE(SplitQueries(queries, 0.0, 7).heldout.empty());
}

TEST(SplitQueriesTest, SideDependsOnlyOnSeedAndId) {
  const std::vector<eval::JudgedQuery> queries = ManyQueries(1000);
  const QuerySplit full = SplitQueries(queries, 0.3, 11);
  // Reversed and halved input: every query keeps its side.
  std::vector<eval::JudgedQuery> half(queries.rbegin(), queries.rbegin() + 500);
  const QuerySplit partial = SplitQueries(half, 0.3, 11);
  const std::set<std::string> heldout = Ids(full.heldout);
  for (const eval::JudgedQuery& query : partial.heldout) EXPECT_TRUE(heldout.count(query.id));
  for (const eval::JudgedQuery& query : partial.train) EXPECT_FALSE(heldout.count(query.id));
  EXPECT_EQ(Ids(SplitQueries(queries, 0.3, 11).heldout), heldout);
  EXPECT_NE(Ids(SplitQueries(queries, 0.3, 12).heldout), heldout);
}

}  // namespace
}  // namespace souk::train
