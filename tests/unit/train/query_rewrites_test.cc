// Learning query rewrites from sessions: a failed search followed by one that sold, counted by
// distinct shoppers; everything else (carts, other sessions, too few shoppers) left out.
#include "souk/train/query_rewrites.h"

#include <memory>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace souk::train {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A search by `user` in `session`; `grade` is its best outcome (0: none).
LoggedSearch Search(const std::string& user, const std::string& session, const std::string& query,
                    int grade, int64_t ts = 0) {
  LoggedSearch search{
      .request_id = "r", .query = query, .user_id = user, .session_id = session, .ts = ts};
  if (grade > 0) search.outcomes.push_back({"p1", 1, grade});
  return search;
}

class QueryRewritesTest : public ::testing::Test {
 protected:
  std::vector<lexical::LearnedRewrite> Learn(const std::vector<LoggedSearch>& log,
                                             size_t min_users = 2) {
    RewriteLearningOptions options;
    options.min_users = min_users;
    return LearnQueryRewrites(log, *analyzer_, options);
  }

  std::unique_ptr<text::Analyzer> analyzer_ = *text::Analyzer::Create({});
};

TEST_F(QueryRewritesTest, AFailedSearchThenOneThatSoldIsARewriteOnceEnoughShoppersMadeIt) {
  std::vector<LoggedSearch> log = {
      Search("u1", "s1", "charging block", 1),  // a click is not success
      Search("u1", "s1", "usb charger", 3),
      Search("u2", "s2", "charging blocks", 0),  // the same query, analyzed
      Search("u2", "s2", "usb charger", 3),
  };
  EXPECT_THAT(Learn(log), ElementsAre(lexical::LearnedRewrite{"charging block", "usb charger", 2}));
  EXPECT_THAT(Learn(log, /*min_users=*/3), IsEmpty());
  // One shopper making it twice still counts once.
  log[2].user_id = log[3].user_id = "u1";
  EXPECT_THAT(Learn(log), IsEmpty());
}

TEST_F(QueryRewritesTest, CartsSessionsAndRewritesThatAddNothingBreakTheChain) {
  const std::vector<LoggedSearch> log = {
      // Carting from the first search: it did not fail.
      Search("u1", "s1", "drill", 2),
      Search("u1", "s1", "cordless drill", 3),
      Search("u2", "s2", "drill", 2),
      Search("u2", "s2", "cordless drill", 3),
      // Another session.
      Search("u3", "s3", "sander", 0),
      Search("u3", "s4", "orbital sander", 3),
      Search("u4", "s5", "sander", 0),
      Search("u4", "s6", "orbital sander", 3),
      // B adds no term to A.
      Search("u5", "s7", "makita drill driver", 0),
      Search("u5", "s7", "makita drill", 3),
      Search("u6", "s8", "makita drill driver", 0),
      Search("u6", "s8", "makita drill", 3),
  };
  EXPECT_THAT(Learn(log), IsEmpty());
}

TEST_F(QueryRewritesTest, EachQueryGetsItsMostCommonRewriteAndTheMostCommonFormsAreKept) {
  const std::vector<LoggedSearch> log = {
      Search("u1", "", "drll", 0, 100),
      Search("u1", "", "drill", 3, 160),
      Search("u2", "", "drll", 0, 100),
      Search("u2", "", "drill", 3, 130),
      Search("u3", "", "drll", 0, 100),
      Search("u3", "", "drill bit", 3, 130),
      Search("u4", "", "drll", 0, 100),
      Search("u4", "", "drill bit", 3, 130),
      Search("u5", "", "drll", 0, 100),
      Search("u5", "", "drills", 3, 120),
      // Without session ids, a pause longer than session_gap_s (1800 s) ends a session.
      Search("u6", "", "hammer", 0, 100),
      Search("u6", "", "claw hammer", 3, 5000),
      Search("u7", "", "hammer", 0, 100),
      Search("u7", "", "claw hammer", 3, 5000),
  };
  // drill (3 shoppers: drill, drill, drills) beats drill bit (2); "drill" was typed most.
  EXPECT_THAT(Learn(log), ElementsAre(lexical::LearnedRewrite{"drll", "drill", 3}));
}

}  // namespace
}  // namespace souk::train
