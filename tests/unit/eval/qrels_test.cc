#include "souk/eval/qrels.h"

#include <cmath>
#include <limits>

#include "support/test_support.h"

namespace souk::eval {
namespace {

using ::souk::testing::SharedDataPath;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr char kHeader[] = "query_id\tquery\tproduct_uid\trelevance\n";

TEST(QrelsTest, GroupsJudgmentsByQueryInOrderOfFirstAppearance) {
  TempDir dir;
  const std::string path = dir.WriteFile(
      "q.tsv",
      std::string("\xEF\xBB\xBF") + kHeader +
          "7\tdeck over\t100002\t3\r\n5\tl bracket\t100001\t2.5\n\n7\tdeck over\t100009\t1.33\n");
  auto queries = ReadQrelsTsv(path);
  ASSERT_OK(queries);
  ASSERT_EQ(queries->size(), 2u);
  EXPECT_EQ((*queries)[0].id, "7");
  EXPECT_EQ((*queries)[0].text, "deck over");
  EXPECT_THAT((*queries)[0].judgments,
              UnorderedElementsAre(Pair("100002", 3.0), Pair("100009", 1.33)));
  EXPECT_EQ((*queries)[1].id, "5");
  EXPECT_THAT((*queries)[1].judgments, UnorderedElementsAre(Pair("100001", 2.5)));
}

TEST(QrelsTest, MalformedLinesNameFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("q.tsv");
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {"1\tq\t100001", "expected 4 tab-separated columns, got 3"},
      {"1\tq\t100001\thigh", "relevance \"high\" is not a number"},
      {"1\tq\t100001\t", "relevance \"\" is not a number"},
      {"\tq\t100001\t2", "empty query id"},
      {"1\tq\t\t2", "empty product id"},
      {"1\tq\t100002\t1", "product \"100002\" is judged twice for query \"1\""},
      {"1\tother\t100009\t1", "query \"1\" reads \"other\" here but \"q\" on line 2"},
      // User text is quoted with escapes (before: raw, so a '"' or a control byte garbled it).
      {"1\tsay \"hi\"\x01\t100009\t1",
       "query \"1\" reads \"say \\\"hi\\\"\\x01\" here but \"q\" on line 2"},
  };
  for (const Case& c : cases) {
    dir.WriteFile("q.tsv", std::string(kHeader) + "1\tq\t100002\t3\n" + c.line + "\n");
    EXPECT_THAT(ReadQrelsTsv(path), StatusIs(kInvalid, path + ":3: " + c.message)) << c.line;
  }
}

TEST(QrelsTest, HeaderIsRequired) {
  TempDir dir;
  EXPECT_THAT(ReadQrelsTsv(dir.WriteFile("q.tsv", "1\tq\t100001\t2\n")),
              StatusIs(kInvalid, "q.tsv:1: expected a header line, got a judgment"));
  EXPECT_THAT(ReadQrelsTsv(dir.WriteFile("q.tsv", "query_id\tquery\n")),
              StatusIs(kInvalid, "q.tsv:1: expected the header"));
  EXPECT_THAT(ReadQrelsTsv(dir.WriteFile("q.tsv", "")), StatusIs(kInvalid, "empty qrels file"));
  EXPECT_THAT(ReadQrelsTsv(dir.File("missing.tsv")), StatusIs(absl::StatusCode::kNotFound, ""));
}

TEST(QrelsTest, ReadsTheHomeDepotDevQrels) {
  const std::optional<std::string> path = SharedDataPath("homedepot/dev-qrels.tsv");
  if (!path.has_value()) GTEST_SKIP() << "shared data not present";
  auto queries = ReadQrelsTsv(*path);
  ASSERT_OK(queries);
  EXPECT_EQ(queries->size(), 3558u);
  size_t pairs = 0;
  for (const JudgedQuery& query : *queries) {
    pairs += query.judgments.size();
    for (const auto& [doc, grade] : query.judgments) {
      ASSERT_GE(grade, 1.0) << query.id;
      ASSERT_LE(grade, 3.0) << query.id;
    }
  }
  EXPECT_EQ(pairs, 22427u);
  // The first data line: 6561<TAB>l bracket<TAB>100001<TAB>2.5
  EXPECT_EQ((*queries)[0].id, "6561");
  EXPECT_EQ((*queries)[0].text, "l bracket");
  EXPECT_EQ((*queries)[0].judgments.at("100001"), 2.5);
}

TEST(QueriesTest, ReadsIdAndTextWithoutHeader) {
  TempDir dir;
  auto queries = ReadQueriesTsv(dir.WriteFile("q.tsv", "1\tangle bracket\r\n\n2\t\n3\t水壶\n"));
  ASSERT_OK(queries);
  ASSERT_EQ(queries->size(), 3u);
  EXPECT_EQ((*queries)[0].id, "1");
  EXPECT_EQ((*queries)[0].text, "angle bracket");
  EXPECT_EQ((*queries)[1].text, "");
  EXPECT_EQ((*queries)[2].text, "水壶");
}

TEST(QueriesTest, MalformedLinesNameFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("q.tsv");
  dir.WriteFile("q.tsv", "1\ta\n2\tb\tc\n");
  EXPECT_THAT(ReadQueriesTsv(path),
              StatusIs(kInvalid, path + ":2: expected query_id<TAB>query, got 3 columns"));
  dir.WriteFile("q.tsv", "1\ta\nno tab\n");
  EXPECT_THAT(ReadQueriesTsv(path), StatusIs(kInvalid, path + ":2: expected query_id<TAB>query"));
  dir.WriteFile("q.tsv", "1\ta\n\tb\n");
  EXPECT_THAT(ReadQueriesTsv(path), StatusIs(kInvalid, path + ":2: empty query id"));
  dir.WriteFile("q.tsv", "1\ta\n2\tb\n1\tc\n");
  EXPECT_THAT(ReadQueriesTsv(path),
              StatusIs(kInvalid, path + ":3: duplicate query id \"1\" (first on line 1)"));
}

TEST(TrecRunTest, FormatsOneLinePerEntry) {
  const std::vector<RunEntry> entries = {{"q1", "d7", 1, 12.3456789},
                                         {"q1", "d3", 2, 2.5},
                                         {"q2", "a b", 1, -0.0000001},
                                         {"q2", "", 2, 100}};
  EXPECT_EQ(FormatTrecRun(entries, "bm25"),
            "q1 Q0 d7 1 12.345679 bm25\n"
            "q1 Q0 d3 2 2.5 bm25\n"
            "q2 Q0 a_b 1 0 bm25\n"
            "q2 Q0 _ 2 100 bm25\n");
  EXPECT_EQ(FormatTrecRun({}, "x"), "");
  EXPECT_EQ(FormatTrecRun({{"q", "d", 1, 1}}, "my run"), "q Q0 d 1 1 my_run\n");
}

TEST(TrecRunTest, FormatsLargeAndNonFiniteScoresSoThatTheyReadBack) {
  // A fixed 64-byte buffer cut 1e100 short; NaN and infinities were written as "nan"/"inf",
  // which the reader refuses.
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(FormatTrecRun({{"q", "d", 1, std::ldexp(1.0, 100)}}, "t"),
            "q Q0 d 1 1267650600228229401496703205376 t\n");  // 2^100, exactly
  const std::string huge = FormatTrecRun({{"q", "d", 1, -1e300}}, "t");
  EXPECT_EQ(huge.size(), std::string("q Q0 d 1 - t\n").size() + 301);  // 301 digits, not cut
  EXPECT_EQ(FormatTrecRun({{"q", "a", 1, inf}}, "t"), "q Q0 a 1 1.7976931348623157e+308 t\n");
  EXPECT_EQ(FormatTrecRun({{"q", "a", 1, -inf}}, "t"), "q Q0 a 1 -1.7976931348623157e+308 t\n");
  EXPECT_EQ(FormatTrecRun({{"q", "a", 1, std::nan("")}}, "t"),
            "q Q0 a 1 -1.7976931348623157e+308 t\n");
  TempDir dir;
  auto run = ReadTrecRun(dir.WriteFile("run.txt", FormatTrecRun({{"q", "a", 1, std::nan("")},
                                                                 {"q", "b", 1, inf},
                                                                 {"q", "c", 1, 1e100},
                                                                 {"q", "d", 1, -inf}},
                                                                "t")));
  ASSERT_OK(run);
  EXPECT_THAT(*run, ElementsAre(Pair("q", ElementsAre("b", "c", "a", "d"))));
}

TEST(TrecRunTest, WriteThenReadGivesRankingsByRank) {
  TempDir dir;
  // Written out of order: the reader orders by rank within each query.
  const std::vector<RunEntry> entries = {
      {"q2", "x", 2, 1.0}, {"q1", "b", 2, 0.5}, {"q2", "y", 1, 2.0}, {"q1", "a", 1, 0.9}};
  auto run = ReadTrecRun(dir.WriteFile("run.txt", FormatTrecRun(entries, "t")));
  ASSERT_OK(run);
  EXPECT_THAT(*run,
              ElementsAre(Pair("q2", ElementsAre("y", "x")), Pair("q1", ElementsAre("a", "b"))));
}

TEST(TrecRunTest, ToleratesTabsRunsOfBlanksAndEqualRanks) {
  TempDir dir;
  // Equal ranks fall back to the score, highest first.
  auto run = ReadTrecRun(
      dir.WriteFile("run.txt", "q1\tQ0\ta\t0\t0.1\tt\r\n\n  q1  0 b 0 0.7 t\nq1 Q0 c 0 0.4 t"));
  ASSERT_OK(run);
  EXPECT_THAT(*run, ElementsAre(Pair("q1", ElementsAre("b", "c", "a"))));
}

TEST(TrecRunTest, MalformedLinesNameFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("run.txt");
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {"q1 Q0 b 2 0.5", "expected \"qid Q0 docid rank score tag\", got 5 fields"},
      {"q1 Q0 b 2 0.5 t extra", "expected \"qid Q0 docid rank score tag\", got 7 fields"},
      {"q1 Q0 b two 0.5 t", "bad rank \"two\""},
      {"q1 Q0 b -2 0.5 t", "bad rank \"-2\""},
      {"q1 Q0 b 2 high t", "bad score \"high\""},
      {"q1 Q0 a 2 0.5 t", "document \"a\" listed twice for query \"q1\" (first on line 1)"},
  };
  for (const Case& c : cases) {
    dir.WriteFile("run.txt", "q1 Q0 a 1 0.9 t\n" + c.line + "\n");
    EXPECT_THAT(ReadTrecRun(path), StatusIs(kInvalid, path + ":2: " + c.message)) << c.line;
  }
}

}  // namespace
}  // namespace souk::eval
