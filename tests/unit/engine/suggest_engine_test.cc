// SuggestEngine: completions from the catalog's phrases and from queries several shoppers
// searched that find products; bad requests named.

#include "souk/engine/suggest_engine.h"

#include <atomic>
#include <string>
#include <thread>

#include "engine_fixture.h"
#include "souk/base/clock.h"

namespace souk::engine {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

std::vector<std::string> Texts(const absl::StatusOr<std::vector<suggest::Completion>>& found) {
  EXPECT_OK(found);
  std::vector<std::string> out;
  if (found.ok()) {
    for (const suggest::Completion& c : *found) out.push_back(c.text);
  }
  return out;
}

events::Event Searched(const std::string& query, const std::string& user, int64_t at_ms) {
  return {.event_id = user + query,
          .timestamp_ms = at_ms,
          .user_id = user,
          .type = events::EventType::kSearch,
          .request_id = "r-" + user,
          .query = query};
}

class SuggestEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    search_ = testing::SmallEngine(tmp_.File("index"), &aggregates_);
    ASSERT_NE(search_, nullptr);
    auto suggest = SuggestEngine::Create(SuggestOptions{}, search_.get(), &aggregates_);
    ASSERT_OK(suggest);
    suggest_ = std::move(*suggest);
    suggest_->Refresh();  // rather than wait for the first background build
  }

  TempDir tmp_;
  events::Aggregates aggregates_{events::AggregateOptions{}};
  std::unique_ptr<SearchEngine> search_;
  std::unique_ptr<SuggestEngine> suggest_;
};

TEST_F(SuggestEngineTest, CompletesBrandsCategoriesAndSharedTitleStarts) {
  // "makita": the brand of two products and the start of both their titles.
  EXPECT_EQ(Texts(suggest_->Suggest("Mak", 10)), (std::vector<std::string>{"makita"}));
  // Prefixes of a phrase, not words inside it: "to" finds "tools", not "power tools".
  EXPECT_EQ(Texts(suggest_->Suggest("to", 10)), (std::vector<std::string>{"tools"}));
  EXPECT_EQ(Texts(suggest_->Suggest("小", 10)), (std::vector<std::string>{"小米"}));
  EXPECT_EQ(Texts(suggest_->Suggest("耳", 10)), (std::vector<std::string>{"耳机"}));
  // A title start only one title has is not a phrase.
  EXPECT_TRUE(Texts(suggest_->Suggest("dewalt 2", 10)).empty());
}

TEST_F(SuggestEngineTest, SuggestsQueriesSeveralShoppersSearchedThatFindProducts) {
  const int64_t now = NowUnixMillis();
  for (const char* user : {"a", "b", "c"}) aggregates_.Apply(Searched("Cordless Drill", user, now));
  aggregates_.Apply(Searched("cordless drill bits for alice", "alice", now));  // one shopper
  aggregates_.Apply(Searched("cordova xylophone", "a", now));                  // finds nothing
  aggregates_.Apply(Searched("cordova xylophone", "b", now));
  suggest_->Refresh();
  const auto found = suggest_->Suggest("cord", 10);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].text, "cordless drill");
  EXPECT_NEAR((*found)[0].weight, 3, 1e-3);
  EXPECT_FALSE((*found)[0].corrected);
  // One typo in four letters or more.
  EXPECT_EQ(Texts(suggest_->Suggest("cordles dr", 10)),
            (std::vector<std::string>{"cordless drill"}));
}

TEST_F(SuggestEngineTest, AUsersBrandComesFirstForThatUser) {
  const int64_t now = NowUnixMillis();
  for (const char* user : {"a", "b", "c"}) aggregates_.Apply(Searched("drill dewalt", user, now));
  for (const char* user : {"a", "b"}) aggregates_.Apply(Searched("drill makita", user, now));
  // "fan" bought a Makita drill (p1); "bulk" bought something else entirely.
  aggregates_.Apply({.event_id = "buy",
                     .timestamp_ms = now,
                     .user_id = "fan",
                     .type = events::EventType::kPurchase,
                     .product_id = "p1",
                     .quantity = 1,
                     .unit_price = 99});
  suggest_->Refresh();
  const std::vector<std::string> popular = {"drill dewalt", "drill makita"};
  EXPECT_EQ(Texts(suggest_->Suggest("drill", 10)), popular);
  EXPECT_EQ(Texts(suggest_->Suggest("drill", 10, "someone-new")), popular);
  const auto personal = suggest_->Suggest("drill", 10, "fan");
  ASSERT_EQ(Texts(personal), (std::vector<std::string>{"drill makita", "drill dewalt"}));
  // All of the fan's actions are on Makita: its weight doubles (personal_boost 1).
  EXPECT_NEAR((*personal)[0].weight, 4, 1e-3);
  EXPECT_EQ(Texts(suggest_->Suggest("drill", 1, "fan")),
            (std::vector<std::string>{"drill makita"}));
}

// The refresher's build and a caller's may overlap: one that read older counts must not be
// published after Refresh() returns.
TEST_F(SuggestEngineTest, RefreshSeesEverySearchCountedBeforeItWhileOthersRun) {
  std::atomic<bool> done = false;
  std::thread other([&] {
    while (!done) suggest_->Refresh();
  });
  const int64_t now = NowUnixMillis();
  for (int round = 0; round < 20; ++round) {
    const std::string query = "drill " + std::to_string(round);
    for (const char* user : {"a", "b"}) aggregates_.Apply(Searched(query, user, now));
    suggest_->Refresh();
    EXPECT_EQ(Texts(suggest_->Suggest(query, 1)), (std::vector<std::string>{query}))
        << "round " << round;
  }
  done = true;
  other.join();
}

TEST_F(SuggestEngineTest, ANewSnapshotsCatalogIsTakenUpByTheNextBuild) {
  EXPECT_TRUE(Texts(suggest_->Suggest("ryo", 10)).empty());
  std::vector<catalog::Product> products = testing::SmallCatalog();
  products.push_back(testing::MakeProduct("p7", "Ryobi One+ Drill", "Ryobi", {"Tools"}, 59.0));
  const SnapshotOptions options = testing::OptionsFor(tmp_.File("index2"));
  ASSERT_OK(WriteIndexDirectory(products, options));
  auto snapshot = Snapshot::Load(options);
  ASSERT_OK(snapshot);
  search_->Swap(*snapshot);
  suggest_->Refresh();
  EXPECT_EQ(Texts(suggest_->Suggest("ryo", 10)), (std::vector<std::string>{"ryobi"}));
}

TEST_F(SuggestEngineTest, BadRequestsAreNamed) {
  EXPECT_THAT(suggest_->Suggest(std::string(300, 'a'), 5),
              StatusIs(absl::StatusCode::kInvalidArgument, "prefix"));
  EXPECT_THAT(suggest_->Suggest("a\xff", 5), StatusIs(absl::StatusCode::kInvalidArgument, "UTF-8"));
  EXPECT_THAT(suggest_->Suggest("a", 0), StatusIs(absl::StatusCode::kInvalidArgument, "limit"));
  EXPECT_THAT(suggest_->Suggest("a", 11), StatusIs(absl::StatusCode::kInvalidArgument, "limit"));
  EXPECT_OK(suggest_->Suggest("", 3));  // an empty prefix is a request for the top phrases
  EXPECT_EQ(suggest_->Suggest("", 3)->size(), 3u);
}

TEST(SuggestOptionsTest, BadOptionsAreNamed) {
  EXPECT_THAT((SuggestOptions{.min_users = 0}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.min_users"));
  EXPECT_THAT((SuggestOptions{.min_users = 9}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.min_users"));
  EXPECT_THAT((SuggestOptions{.refresh_s = 0}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.refresh_s"));
  EXPECT_THAT((SuggestOptions{.catalog_weight = -1}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.catalog_weight"));
  EXPECT_THAT((SuggestOptions{.personal_boost = -0.5}).Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "suggest.personal_boost"));
}

}  // namespace
}  // namespace souk::engine
