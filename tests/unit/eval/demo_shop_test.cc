#include "souk/eval/demo_shop.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/catalog/product_reader.h"
#include "support/test_support.h"

namespace souk::eval {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using Json = nlohmann::json;

constexpr const char* kFiles[] = {"catalog.jsonl", "users.jsonl", "product_truth.jsonl",
                                  "events.jsonl", "manifest.json"};

DemoShopOptions SmallOptions() {
  DemoShopOptions options;
  options.num_products = 1500;
  options.num_users = 150;
  options.num_sessions = 2500;
  return options;
}

std::string ReadOrDie(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  EXPECT_OK(text);
  return text.ok() ? *text : std::string();
}

std::vector<Json> ReadJsonl(const std::string& path) {
  std::vector<Json> lines;
  std::istringstream in(ReadOrDie(path));
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  return lines;
}

bool HasHan(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0xE4 && c <= 0xE9) return true;  // lead bytes of the CJK unified ideographs
  }
  return false;
}

// One shop generated for all read-only tests of this file.
class DemoShopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    absl::StatusOr<DemoShopSummary> summary = GenerateDemoShop(SmallOptions(), dir_->path());
    ASSERT_OK(summary);
    summary_ = new DemoShopSummary(*summary);
    events_ = new std::vector<Json>(ReadJsonl(dir_->File("events.jsonl")));
    truth_ = new std::vector<Json>(ReadJsonl(dir_->File("product_truth.jsonl")));
    users_ = new std::vector<Json>(ReadJsonl(dir_->File("users.jsonl")));
  }
  static void TearDownTestSuite() {
    delete events_;
    delete truth_;
    delete users_;
    delete summary_;
    delete dir_;
  }

  static std::map<std::string, const Json*> TruthById() {
    std::map<std::string, const Json*> by_id;
    for (const Json& t : *truth_) by_id[t["product_id"]] = &t;
    return by_id;
  }

  static TempDir* dir_;
  static DemoShopSummary* summary_;
  static std::vector<Json>* events_;
  static std::vector<Json>* truth_;
  static std::vector<Json>* users_;
};

TempDir* DemoShopTest::dir_ = nullptr;
DemoShopSummary* DemoShopTest::summary_ = nullptr;
std::vector<Json>* DemoShopTest::events_ = nullptr;
std::vector<Json>* DemoShopTest::truth_ = nullptr;
std::vector<Json>* DemoShopTest::users_ = nullptr;

TEST(DemoShopOptionsTest, DefaultsAreValid) { EXPECT_OK(DemoShopOptions().Validate()); }

TEST(DemoShopOptionsTest, RejectsOutOfRangeValues) {
  auto with = [](auto change) {
    DemoShopOptions options;
    change(options);
    return options.Validate();
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(with([](auto& o) { o.num_products = 0; }), StatusIs(kInvalid, "num_products"));
  EXPECT_THAT(with([](auto& o) { o.num_users = 0; }), StatusIs(kInvalid, "num_users"));
  EXPECT_THAT(with([](auto& o) { o.num_sessions = 1'000'000'000; }),
              StatusIs(kInvalid, "num_sessions"));
  EXPECT_THAT(with([](auto& o) { o.chinese_share = 1.5; }), StatusIs(kInvalid, "chinese_share"));
  EXPECT_THAT(with([](auto& o) { o.chinese_share = -0.1; }), StatusIs(kInvalid, "chinese_share"));
  EXPECT_THAT(with([](auto& o) { o.chinese_share = std::numeric_limits<double>::quiet_NaN(); }),
              StatusIs(kInvalid, "chinese_share"));
  EXPECT_THAT(with([](auto& o) { o.days = 0; }), StatusIs(kInvalid, "days"));
  EXPECT_THAT(with([](auto& o) { o.page_size = 0; }), StatusIs(kInvalid, "page_size"));
  EXPECT_THAT(with([](auto& o) { o.start_unix_s = 0; }), StatusIs(kInvalid, "start_unix_s"));
  // Unbounded before: start + days would overflow int64.
  EXPECT_THAT(with([](auto& o) { o.start_unix_s = std::numeric_limits<int64_t>::max() - 1000; }),
              StatusIs(kInvalid, "start_unix_s"));
  EXPECT_THAT(with([](auto& o) { o.start_unix_s = 253402300800; }),
              StatusIs(kInvalid, "start_unix_s"));
  EXPECT_OK(with([](auto& o) { o.start_unix_s = 253402300799; }));
  EXPECT_OK(with([](auto& o) { o.num_sessions = 0; }));
}

TEST(DemoShopGenerateTest, InvalidOptionsWriteNothing) {
  TempDir dir;
  DemoShopOptions options;
  options.num_users = 0;
  EXPECT_THAT(GenerateDemoShop(options, dir.File("shop")),
              StatusIs(absl::StatusCode::kInvalidArgument, "num_users"));
  EXPECT_FALSE(ReadFileToString(dir.File("shop/catalog.jsonl")).ok());
}

TEST(DemoShopGenerateTest, SameSeedGivesIdenticalFiles) {
  TempDir a;
  TempDir b;
  ASSERT_OK(GenerateDemoShop(SmallOptions(), a.path()));
  ASSERT_OK(GenerateDemoShop(SmallOptions(), b.path()));
  for (const char* file : kFiles) {
    const std::string text = ReadOrDie(a.File(file));
    EXPECT_FALSE(text.empty()) << file;
    EXPECT_TRUE(text == ReadOrDie(b.File(file))) << file << " differs between two runs";
  }
}

TEST(DemoShopGenerateTest, OtherSeedGivesOtherShop) {
  TempDir a;
  TempDir b;
  DemoShopOptions options = SmallOptions();
  ASSERT_OK(GenerateDemoShop(options, a.path()));
  options.seed = 43;
  ASSERT_OK(GenerateDemoShop(options, b.path()));
  for (const char* file : kFiles) {
    EXPECT_NE(ReadOrDie(a.File(file)), ReadOrDie(b.File(file))) << file;
  }
}

TEST(DemoShopGenerateTest, MoreSessionsLeaveCatalogAndUsersUnchanged) {
  TempDir a;
  TempDir b;
  DemoShopOptions options = SmallOptions();
  ASSERT_OK(GenerateDemoShop(options, a.path()));
  options.num_sessions = 100;
  ASSERT_OK(GenerateDemoShop(options, b.path()));
  EXPECT_EQ(ReadOrDie(a.File("catalog.jsonl")), ReadOrDie(b.File("catalog.jsonl")));
  EXPECT_EQ(ReadOrDie(a.File("users.jsonl")), ReadOrDie(b.File("users.jsonl")));
  EXPECT_NE(ReadOrDie(a.File("events.jsonl")), ReadOrDie(b.File("events.jsonl")));
}

TEST(DemoShopGenerateTest, AFailedRegenerationLeavesNoManifest) {
  TempDir dir;
  DemoShopOptions options = SmallOptions();
  options.num_products = 300;
  options.num_sessions = 100;
  ASSERT_OK(GenerateDemoShop(options, dir.path()));
  ASSERT_OK(ReadFileToString(dir.File("manifest.json")));
  // events.jsonl cannot be replaced by a file now: the second run fails after rewriting the
  // catalog. Before the fix the first run's manifest stayed, vouching for mixed files.
  ASSERT_TRUE(std::filesystem::remove(dir.File("events.jsonl")));
  ASSERT_TRUE(std::filesystem::create_directory(dir.File("events.jsonl")));
  options.seed = 7;
  EXPECT_FALSE(GenerateDemoShop(options, dir.path()).ok());
  EXPECT_THAT(ReadFileToString(dir.File("manifest.json")),
              StatusIs(absl::StatusCode::kNotFound, "manifest.json"));
}

TEST(DemoShopGenerateTest, EventsStayInsideTheWindow) {
  // One busy day: many sessions start in its last minutes. Before the fix their clicks, carts
  // and purchases ran past the window's end.
  TempDir dir;
  DemoShopOptions options = SmallOptions();
  options.num_products = 300;
  options.num_users = 100;
  options.num_sessions = 3000;
  options.days = 1;
  ASSERT_OK(GenerateDemoShop(options, dir.path()));
  const int64_t end = options.start_unix_s + 86400;
  int64_t last = 0;
  for (const Json& event : ReadJsonl(dir.File("events.jsonl"))) {
    EXPECT_GE(event["ts"].get<int64_t>(), options.start_unix_s) << event;
    EXPECT_LT(event["ts"].get<int64_t>(), end) << event;
    last = std::max(last, event["ts"].get<int64_t>());
  }
  EXPECT_GT(last, end - 600);  // the window's end was busy: the test can fail
}

TEST(DemoShopGenerateTest, OneLanguageOnly) {
  TempDir dir;
  DemoShopOptions options = SmallOptions();
  options.num_products = 300;
  options.num_sessions = 200;
  options.chinese_share = 0.0;
  ASSERT_OK(GenerateDemoShop(options, dir.path()));
  for (const Json& event : ReadJsonl(dir.File("events.jsonl"))) {
    if (event["type"] == "search") {
      EXPECT_FALSE(HasHan(event["query"])) << event;
    }
  }
}

TEST_F(DemoShopTest, CountsMatchOptionsAndSummary) {
  const DemoShopOptions options = SmallOptions();
  EXPECT_EQ(truth_->size(), options.num_products);
  EXPECT_EQ(users_->size(), options.num_users);
  EXPECT_EQ(summary_->products, options.num_products);
  EXPECT_EQ(summary_->users, options.num_users);
  EXPECT_EQ(summary_->events, events_->size());
  std::set<std::string> sessions;
  std::map<std::string, size_t> by_type;
  for (const Json& e : *events_) {
    sessions.insert(e["session_id"].get<std::string>());
    ++by_type[e["type"]];
  }
  EXPECT_EQ(sessions.size(), options.num_sessions);
  EXPECT_EQ(summary_->sessions, options.num_sessions);
  EXPECT_EQ(by_type["search"], summary_->searches);
  EXPECT_EQ(by_type["impression"], summary_->searches);
  EXPECT_EQ(by_type["click"], summary_->clicks);
  EXPECT_EQ(by_type["add_to_cart"], summary_->add_to_carts);
  EXPECT_EQ(by_type["purchase"], summary_->purchases);
  EXPECT_EQ(by_type["review"], summary_->reviews);
  EXPECT_GE(summary_->searches, options.num_sessions);
  EXPECT_GT(summary_->purchases, 0u);
  EXPECT_GT(summary_->reviews, 0u);
  EXPECT_GT(summary_->repeat_purchases, 0u);
}

TEST_F(DemoShopTest, ManifestNamesVersionOptionsAndTotals) {
  const Json manifest = Json::parse(ReadOrDie(dir_->File("manifest.json")));
  EXPECT_EQ(manifest["format"], "souk.demo_shop");
  EXPECT_EQ(manifest["version"], 1);
  EXPECT_EQ(manifest["options"]["seed"], 42);
  EXPECT_EQ(manifest["options"]["num_products"], SmallOptions().num_products);
  EXPECT_EQ(manifest["totals"]["events"], summary_->events);
  EXPECT_EQ(manifest["totals"]["purchases"], summary_->purchases);
  EXPECT_EQ(manifest["totals"]["clicks_by_position"].size(), SmallOptions().page_size);
}

TEST_F(DemoShopTest, CatalogReadsBackWithCompleteProductsInBothLanguages) {
  absl::StatusOr<std::vector<catalog::Product>> products =
      catalog::ReadProductsJsonl(dir_->File("catalog.jsonl"), catalog::ReadOptions());
  ASSERT_OK(products);
  ASSERT_EQ(products->size(), SmallOptions().num_products);
  std::set<std::string> ids;
  std::set<std::string> titles;
  size_t chinese = 0;
  size_t out_of_stock = 0;
  for (const catalog::Product& p : *products) {
    EXPECT_TRUE(ids.insert(p.id).second) << p.id;
    EXPECT_TRUE(titles.insert(p.title).second) << "duplicate title " << p.title;
    EXPECT_FALSE(p.title.empty()) << p.id;
    EXPECT_FALSE(p.description.empty()) << p.id;
    EXPECT_FALSE(p.brand.empty()) << p.id;
    EXPECT_EQ(p.category_path.size(), 3u) << p.id;
    ASSERT_TRUE(p.price.has_value()) << p.id;
    EXPECT_GT(*p.price, 0.0) << p.id;
    EXPECT_FALSE(p.attributes.empty()) << p.id;
    EXPECT_GT(p.created_unix_s, 0) << p.id;
    EXPECT_LT(p.created_unix_s, DemoShopOptions().start_unix_s) << p.id;
    chinese += HasHan(p.category_path[0]);
    out_of_stock += !p.InStock();
  }
  // chinese_share 0.5 splits the catalog exactly.
  EXPECT_EQ(chinese, products->size() / 2);
  EXPECT_GT(out_of_stock, 0u);
}

TEST_F(DemoShopTest, EventsAreOrderedAndReferenceExistingThings) {
  std::set<std::string> products;
  for (const Json& t : *truth_) products.insert(t["product_id"].get<std::string>());
  std::set<std::string> users;
  for (const Json& u : *users_) users.insert(u["user_id"].get<std::string>());
  std::map<std::string, std::vector<std::string>> pages;  // request_id -> shown product ids
  std::map<std::string, int64_t> searched;                // request_id -> ts
  std::set<std::string> carted;                           // session, request, product
  std::set<std::string> event_ids;
  int64_t last_ts = 0;
  for (const Json& e : *events_) {
    EXPECT_TRUE(event_ids.insert(e["event_id"].get<std::string>()).second);
    EXPECT_GE(e["ts"].get<int64_t>(), last_ts);
    last_ts = e["ts"];
    EXPECT_TRUE(users.count(e["user_id"])) << e;
    const std::string type = e["type"];
    if (type == "search") {
      EXPECT_FALSE(e["query"].get<std::string>().empty());
      searched[e["request_id"]] = e["ts"];
    } else if (type == "impression") {
      ASSERT_TRUE(searched.count(e["request_id"])) << "impression before its search: " << e;
      EXPECT_EQ(searched[e["request_id"]], e["ts"].get<int64_t>());
      auto& page = pages[e["request_id"]];
      for (const Json& id : e["product_ids"]) {
        EXPECT_TRUE(products.count(id)) << e;
        page.push_back(id);
      }
      EXPECT_EQ(page.size(), SmallOptions().page_size);
    } else if (type == "review") {
      EXPECT_TRUE(products.count(e["product_id"])) << e;
      EXPECT_GE(e["rating"].get<int>(), 1);
      EXPECT_LE(e["rating"].get<int>(), 5);
      EXPECT_FALSE(e["text"].get<std::string>().empty());
    } else {
      ASSERT_TRUE(type == "click" || type == "add_to_cart" || type == "purchase") << type;
      // A click, cart or purchase names the page it came from and the product's position on it.
      const auto& page = pages.at(e["request_id"]);
      const int position = e["position"];
      ASSERT_GE(position, 1);
      ASSERT_LE(static_cast<size_t>(position), page.size());
      EXPECT_EQ(page[position - 1], e["product_id"].get<std::string>()) << e;
      const std::string line = e["session_id"].get<std::string>() + " " +
                               e["request_id"].get<std::string>() + " " +
                               e["product_id"].get<std::string>();
      if (type == "add_to_cart") carted.insert(line);
      if (type == "purchase") {
        EXPECT_TRUE(carted.count(line)) << "purchase without a cart line: " << e;
        EXPECT_GE(e["quantity"].get<int>(), 1);
        EXPECT_GT(e["price"].get<double>(), 0.0);
      }
    }
  }
}

TEST_F(DemoShopTest, QueriesComeInBothLanguages) {
  size_t chinese = 0;
  size_t english = 0;
  for (const Json& e : *events_) {
    if (e["type"] != "search") continue;
    (HasHan(e["query"]) ? chinese : english) += 1;
  }
  EXPECT_GT(chinese, summary_->searches / 4);
  EXPECT_GT(english, summary_->searches / 4);
}

TEST_F(DemoShopTest, ClickThroughFallsWithPosition) {
  std::vector<double> shown(SmallOptions().page_size, 0);
  std::vector<double> clicked(SmallOptions().page_size, 0);
  for (const Json& e : *events_) {
    if (e["type"] == "impression") {
      for (size_t k = 0; k < e["product_ids"].size(); ++k) ++shown[k];
    } else if (e["type"] == "click") {
      ++clicked[e["position"].get<int>() - 1];
    }
  }
  auto ctr = [&](int position) { return clicked[position - 1] / shown[position - 1]; };
  EXPECT_GT(ctr(1), ctr(2));
  EXPECT_GT(ctr(2), ctr(4));
  EXPECT_GT(ctr(4), ctr(10));
  EXPECT_GT(ctr(1), 3 * ctr(10));
  EXPECT_EQ(summary_->clicks_by_position[0], clicked[0]);
  EXPECT_EQ(summary_->impressions_by_position[9], shown[9]);
}

TEST_F(DemoShopTest, PurchasesFavourHiddenUtility) {
  const auto truth = TruthById();
  std::map<std::string, const Json*> users;
  for (const Json& u : *users_) users[u["user_id"]] = &u;
  double shown_quality = 0, shown_n = 0, bought_quality = 0, bought_n = 0;
  double shown_liked = 0, bought_liked = 0;
  for (const Json& e : *events_) {
    const Json& affinity = (*users.at(e["user_id"]))["brand_affinity"];
    auto liked = [&](const Json& product) {
      const std::string brand = (*truth.at(product))["brand_id"];
      return affinity.contains(brand) && affinity[brand].get<double>() > 0;
    };
    if (e["type"] == "impression") {
      for (const Json& id : e["product_ids"]) {
        shown_quality += (*truth.at(id))["quality"].get<double>();
        shown_liked += liked(id);
        ++shown_n;
      }
    } else if (e["type"] == "purchase") {
      bought_quality += (*truth.at(e["product_id"]))["quality"].get<double>();
      bought_liked += liked(e["product_id"]);
      ++bought_n;
    }
  }
  ASSERT_GT(bought_n, 50);
  EXPECT_GT(bought_quality / bought_n, shown_quality / shown_n + 0.02);
  EXPECT_GT(bought_liked / bought_n, 1.5 * shown_liked / shown_n);
}

TEST_F(DemoShopTest, RatingsFollowHiddenQuality) {
  const auto truth = TruthById();
  double high = 0, high_n = 0, low = 0, low_n = 0;
  for (const Json& e : *events_) {
    if (e["type"] != "review") continue;
    const double quality = (*truth.at(e["product_id"]))["quality"];
    if (e["rating"].get<int>() >= 4) {
      high += quality;
      ++high_n;
    } else {
      low += quality;
      ++low_n;
    }
  }
  ASSERT_GT(high_n, 0);
  ASSERT_GT(low_n, 0);
  EXPECT_GT(high / high_n, low / low_n + 0.05);
}

TEST_F(DemoShopTest, UsersHoldNormalizedHiddenTastes) {
  for (const Json& u : *users_) {
    double total = 0;
    for (const auto& [top, weight] : u["category_weights"].items()) total += weight.get<double>();
    EXPECT_NEAR(total, 1.0, 0.01) << u;
    EXPECT_GE(u["price_sensitivity"].get<double>(), 0.0);
    EXPECT_LE(u["price_sensitivity"].get<double>(), 1.0);
    EXPECT_TRUE(u["language"] == "en" || u["language"] == "zh");
  }
}

}  // namespace
}  // namespace souk::eval
