#include "souk/eval/shop_simulator.h"

#include <algorithm>
#include <random>
#include <set>

#include "absl/strings/str_split.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"
#include "souk/events/event_validation.h"
#include "support/test_support.h"

namespace souk::eval {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

class ShopSimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    DemoShopOptions options;
    options.num_products = 1500;
    options.num_users = 200;
    options.num_sessions = 10;
    ASSERT_OK(GenerateDemoShop(options, dir_->path()));
    auto products = catalog::ReadProducts(dir_->File("catalog.jsonl"), catalog::ReadOptions{});
    ASSERT_OK(products);
    products_ = new std::vector<catalog::Product>(std::move(*products));
  }
  static void TearDownTestSuite() {
    delete products_;
    delete dir_;
  }

  static std::unique_ptr<ShopSimulator> Simulator(uint64_t seed, size_t sessions) {
    auto shop = ReadDemoShopOptions(dir_->path());
    EXPECT_OK(shop);
    // One start for every simulator of the run: two read from the clock a second apart would
    // stamp the same sessions a second apart.
    static const int64_t start_unix_s = NowUnixSeconds() - 2 * 86400;
    auto simulator = ShopSimulator::Create(
        *shop, {.seed = seed, .sessions = sessions, .start_unix_s = start_unix_s});
    EXPECT_OK(simulator);
    return std::move(*simulator);
  }

  // A crude lexical ranking: products holding more of the query's words in their title first.
  static absl::StatusOr<ShownPage> TitleMatch(const std::string& query) {
    const std::vector<std::string> words = absl::StrSplit(query, ' ', absl::SkipEmpty());
    std::vector<std::pair<int, size_t>> scored;
    for (size_t i = 0; i < products_->size(); ++i) {
      int hits = 0;
      for (const std::string& w : words) hits += (*products_)[i].title.find(w) != std::string::npos;
      std::string lower = (*products_)[i].title;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      for (const std::string& w : words) hits += lower.find(w) != std::string::npos;
      if (hits > 0) scored.emplace_back(-hits, i);
    }
    std::sort(scored.begin(), scored.end());
    ShownPage page{.request_id = StrCat("r", ++requests_), .variant = "lexical"};
    for (size_t k = 0; k < std::min<size_t>(10, scored.size()); ++k) {
      page.product_ids.push_back((*products_)[scored[k].second].id);
    }
    return page;
  }

  static ShownPage Random(std::mt19937& rng) {
    ShownPage page{.request_id = StrCat("r", ++requests_), .variant = "random"};
    for (int k = 0; k < 10; ++k)
      page.product_ids.push_back((*products_)[rng() % products_->size()].id);
    return page;
  }

  static TempDir* dir_;
  static std::vector<catalog::Product>* products_;
  static int requests_;
};

TempDir* ShopSimulatorTest::dir_ = nullptr;
std::vector<catalog::Product>* ShopSimulatorTest::products_ = nullptr;
int ShopSimulatorTest::requests_ = 0;

TEST_F(ShopSimulatorTest, SessionsAreValidFeedbackEventsAboutTheShownPages) {
  std::unique_ptr<ShopSimulator> simulator = Simulator(7, 200);
  std::set<std::string> ids;
  for (const catalog::Product& p : *products_) ids.insert(p.id);
  std::set<std::string> event_ids;
  size_t sessions = 0, clicks = 0;
  for (;;) {
    absl::StatusOr<SimulatedSession> session = simulator->Next(
        [](const std::string&, const std::string& query) { return TitleMatch(query); });
    if (absl::IsOutOfRange(session.status())) break;
    ASSERT_OK(session);
    ++sessions;
    EXPECT_EQ(session->variant, "lexical");
    std::set<std::string> requests;
    for (const events::Event& e : session->events) {
      EXPECT_OK(
          events::ValidateEvent(e, events::EventLimits{}, NowUnixMillis(),
                                [&](std::string_view id) { return ids.contains(std::string(id)); }))
          << e.event_id;
      EXPECT_TRUE(event_ids.insert(e.event_id).second) << "repeated id " << e.event_id;
      EXPECT_LT(e.timestamp_ms, NowUnixMillis());
      if (e.type == events::EventType::kSearch) requests.insert(e.request_id);
      if (e.type == events::EventType::kClick) {
        ++clicks;
        EXPECT_TRUE(requests.contains(e.request_id)) << "a click on an answer never shown";
      }
    }
  }
  EXPECT_EQ(sessions, 200u);
  EXPECT_GT(clicks, 0u);
}

TEST_F(ShopSimulatorTest, UsersBuyMoreFromRelevantPagesThanFromRandomOnes) {
  std::mt19937 rng(3);
  size_t converted[2] = {0, 0};
  for (int ranking = 0; ranking < 2; ++ranking) {
    // The same users, intents and queries (same seed) under each ranking.
    std::unique_ptr<ShopSimulator> simulator = Simulator(11, 600);
    const SearchFunction search = [&](const std::string&, const std::string& query) {
      return ranking == 0 ? TitleMatch(query) : absl::StatusOr<ShownPage>(Random(rng));
    };
    for (absl::StatusOr<SimulatedSession> s = simulator->Next(search); s.ok();
         s = simulator->Next(search)) {
      converted[ranking] += s->purchased;
    }
  }
  EXPECT_GT(converted[0], 2 * converted[1]) << converted[0] << " vs " << converted[1];
}

// What a session did, without the ids that differ between runs.
std::vector<std::string> Trace(const SimulatedSession& session) {
  std::vector<std::string> trace;
  for (const events::Event& e : session.events) {
    trace.push_back(StrCat(events::EventTypeName(e.type), " ", e.user_id, " ", e.timestamp_ms, " ",
                           e.product_id, " ", e.position, " ", e.query));
  }
  return trace;
}

TEST_F(ShopSimulatorTest, OneSessionsPagesDoNotChangeTheNextSessions) {
  std::mt19937 rng(9);
  const SearchFunction lexical = [](const std::string&, const std::string& query) {
    return TitleMatch(query);
  };
  const SearchFunction random = [&](const std::string&, const std::string&) {
    return absl::StatusOr<ShownPage>(Random(rng));
  };
  std::unique_ptr<ShopSimulator> a = Simulator(21, 30);
  std::unique_ptr<ShopSimulator> b = Simulator(21, 30);
  // The first sessions see different pages; every later one sees the same.
  for (int s = 0; s < 5; ++s) {
    ASSERT_OK(a->Next(lexical));
    ASSERT_OK(b->Next(random));
  }
  for (int s = 5; s < 30; ++s) {
    absl::StatusOr<SimulatedSession> x = a->Next(lexical);
    absl::StatusOr<SimulatedSession> y = b->Next(lexical);
    ASSERT_OK(x);
    ASSERT_OK(y);
    EXPECT_EQ(Trace(*x), Trace(*y)) << "session " << s;
  }
}

TEST_F(ShopSimulatorTest, SearchErrorsComeBackAndBadOptionsAreRefused) {
  std::unique_ptr<ShopSimulator> simulator = Simulator(1, 5);
  EXPECT_THAT(simulator->Next([](const std::string&, const std::string&) {
    return absl::StatusOr<ShownPage>(absl::UnavailableError("server down"));
  }),
              StatusIs(absl::StatusCode::kUnavailable, "server down"));
  auto shop = ReadDemoShopOptions(dir_->path());
  ASSERT_OK(shop);
  EXPECT_THAT(ShopSimulator::Create(*shop, {.sessions = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "sessions"));
  EXPECT_THAT(ReadDemoShopOptions(dir_->File("missing")),
              StatusIs(absl::StatusCode::kNotFound, "manifest.json"));
}

}  // namespace
}  // namespace souk::eval
