// GenerateDemoShop: runs the phases of demo_shop_internal.h and writes the files.
#include "souk/eval/demo_shop.h"

#include <chrono>
#include <cmath>

#include "demo_shop_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"

namespace souk::eval {
namespace {

using demo_shop_internal::Event;
using demo_shop_internal::EventType;

// Bounds that keep a run within memory: peak memory grows by about 2.5 KB per session (events
// held, then their text), 1.7 KB per product and 0.3 KB per user (measured; docs/demo-shop.md,
// "Sizes and cost"), so a run at all three bounds peaks near 5 GB. 50x the defaults.
constexpr size_t kMaxProducts = 1'000'000;
constexpr size_t kMaxUsers = 1'000'000;
constexpr size_t kMaxSessions = 1'000'000;
constexpr size_t kMaxPageSize = 100;
constexpr int kMaxDays = 3650;
constexpr int64_t kMinStart = 730LL * 86400 + 3600;  // listing times stay positive
// 9999-12-31T23:59:59Z, the last second RFC 3339 can write: far from overflowing the int64
// arithmetic on timestamps (window end, repurchase due dates).
constexpr int64_t kMaxStart = 253402300799;

DemoShopSummary Summarize(const DemoShopOptions& options, const std::vector<Event>& events) {
  DemoShopSummary summary;
  summary.products = options.num_products;
  summary.users = options.num_users;
  summary.sessions = options.num_sessions;
  summary.events = events.size();
  summary.impressions_by_position.assign(options.page_size, 0);
  summary.clicks_by_position.assign(options.page_size, 0);
  for (const Event& e : events) {
    switch (e.type) {
      case EventType::kSearch:
        ++summary.searches;
        break;
      case EventType::kImpression:
        for (size_t k = 0; k < e.shown.size(); ++k) ++summary.impressions_by_position[k];
        break;
      case EventType::kClick:
        ++summary.clicks;
        ++summary.clicks_by_position[e.position - 1];
        break;
      case EventType::kAddToCart:
        ++summary.add_to_carts;
        break;
      case EventType::kPurchase:
        ++summary.purchases;
        break;
      case EventType::kReview:
        ++summary.reviews;
        break;
    }
  }
  return summary;
}

absl::Status WriteText(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = StrCat(dir, "/", name);
  return Annotate(WriteFileAtomically(path, text), StrCat("writing ", path));
}

}  // namespace

absl::Status DemoShopOptions::Validate() const {
  auto invalid = [](auto... parts) { return absl::InvalidArgumentError(StrCat(parts...)); };
  if (num_products < 1 || num_products > kMaxProducts) {
    return invalid("demo shop: num_products must be in [1, ", kMaxProducts, "], got ",
                   num_products);
  }
  if (num_users < 1 || num_users > kMaxUsers) {
    return invalid("demo shop: num_users must be in [1, ", kMaxUsers, "], got ", num_users);
  }
  if (num_sessions > kMaxSessions) {
    return invalid("demo shop: num_sessions must be at most ", kMaxSessions, ", got ",
                   num_sessions);
  }
  if (!(chinese_share >= 0.0 && chinese_share <= 1.0)) {
    return invalid("demo shop: chinese_share must be in [0, 1], got ", chinese_share);
  }
  if (days < 1 || days > kMaxDays) {
    return invalid("demo shop: days must be in [1, ", kMaxDays, "], got ", days);
  }
  if (start_unix_s < kMinStart || start_unix_s > kMaxStart) {
    return invalid("demo shop: start_unix_s must be in [", kMinStart, ", ", kMaxStart, "], got ",
                   start_unix_s);
  }
  if (page_size < 1 || page_size > kMaxPageSize) {
    return invalid("demo shop: page_size must be in [1, ", kMaxPageSize, "], got ", page_size);
  }
  return absl::OkStatus();
}

absl::StatusOr<DemoShopSummary> GenerateDemoShop(const DemoShopOptions& options,
                                                 const std::string& out_dir) {
  namespace dsi = demo_shop_internal;
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto t0 = std::chrono::steady_clock::now();
  // One stream per phase: the brands do not depend on the sizes, the catalog not on the users.
  dsi::World world;
  world.vocab = &dsi::GetVocabulary();
  dsi::Rng brand_rng(dsi::StreamSeed(options.seed, "brands"));
  world.brands = dsi::GenerateBrands(*world.vocab, brand_rng);
  dsi::Rng catalog_rng(dsi::StreamSeed(options.seed, "catalog"));
  dsi::GenerateCatalog(options, world, catalog_rng);
  dsi::Rng user_rng(dsi::StreamSeed(options.seed, "users"));
  dsi::GenerateUsers(options, world, user_rng);
  dsi::Rng session_rng(dsi::StreamSeed(options.seed, "sessions"));
  const dsi::SessionLog log = dsi::SimulateSessions(options, world, session_rng);

  SOUK_RETURN_IF_ERROR(
      Annotate(MakeDirectories(out_dir), StrCat("creating demo shop directory ", out_dir)));
  // A manifest says the directory is complete: drop the one of an earlier run first, so that a
  // run failing halfway never leaves it over a mix of old and new files.
  SOUK_RETURN_IF_ERROR(RemoveFileIfExists(StrCat(out_dir, "/manifest.json")));
  std::vector<catalog::Product> products;
  products.reserve(world.products.size());
  for (const dsi::ShopProduct& item : world.products) products.push_back(item.product);
  const std::string catalog_path = StrCat(out_dir, "/catalog.jsonl");
  SOUK_RETURN_IF_ERROR(Annotate(catalog::WriteProductsJsonl(catalog_path, products),
                                StrCat("writing ", catalog_path)));
  SOUK_RETURN_IF_ERROR(WriteText(out_dir, "users.jsonl", dsi::UsersJsonl(world)));
  SOUK_RETURN_IF_ERROR(WriteText(out_dir, "product_truth.jsonl", dsi::ProductTruthJsonl(world)));
  SOUK_RETURN_IF_ERROR(WriteText(out_dir, "events.jsonl", dsi::EventsJsonl(world, log.events)));

  DemoShopSummary summary = Summarize(options, log.events);
  summary.repeat_purchases = log.repeat_purchases;
  // Written last: a directory with a manifest is complete.
  SOUK_RETURN_IF_ERROR(WriteText(out_dir, "manifest.json", dsi::ManifestJson(options, summary)));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  SOUK_LOG_INFO("eval", "demo shop: ", summary.products, " products, ", summary.users, " users, ",
                summary.sessions, " sessions, ", summary.events, " events (", summary.purchases,
                " purchases) in ", ms, " ms");
  return summary;
}

}  // namespace souk::eval
